"""``pimh score`` and ``pimh instruments`` (pure, no database)."""

from __future__ import annotations

import json

import pytest

from pimh import cli


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv), {})
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_score_phq9_with_risk_item(capsys):
    status, out, err = run(capsys, "score", "phq9", "--answers", "1,1,1,1,1,1,1,1,1")
    assert status == 0, err
    assert json.loads(out) == {
        "instrument": "phq9",
        "total": 9,
        "band": "mild",
        "positive": False,
        "risk_item_flag": True,
        "complete": True,
        "total_at_least": 9,
        "risk_item_unanswered": False,
        "role": "mother",
        "cutoff": 10,
        "thresholds_version": "default-2",
    }


def test_score_whooley_positive(capsys):
    status, out, _ = run(capsys, "score", "whooley", "--answers", "0,1")
    assert status == 0
    assert json.loads(out)["positive"] is True


@pytest.mark.parametrize(
    "argv",
    [
        ("score", "phq9", "--answers", "1,1"),
        ("score", "gad2", "--answers", "1,4"),
        ("score", "nope", "--answers", "1,1"),
        ("score", "gad2", "--answers", "1,x"),
        ("score", "gad2", "--answers", "1,-1"),
        ("score", "gad2"),
        ("score", "gad2", "--answers", "1,--"),
        ("score", "gad2", "--answers", "1,"),
        ("score", "gad2", "--answers", "1,-", "--role", "infant"),
        ("score", "gad2", "--answers", "1,-", "--thresholds", "/nonexistent/thresholds.json"),
    ],
)
def test_score_errors_are_one_line_exit_2(capsys, argv):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.startswith("pimh: error:")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_instruments_json_lists_every_instrument(capsys):
    status, out, _ = run(capsys, "instruments", "--json")
    assert status == 0
    rows = {row["code"]: row for row in json.loads(out)}
    assert set(rows) == {"whooley", "gad2", "phq2", "epds", "phq9", "gad7"}
    assert rows["gad2"]["positive_threshold"] == 3
    assert rows["epds"]["risk_item"] == 10
    assert "Cox" in rows["epds"]["source"]


def test_instruments_table(capsys):
    status, out, _ = run(capsys, "instruments")
    assert status == 0
    assert "phq9" in out and "default-2" in out


def score_json(capsys, *argv: str) -> dict:
    status, out, err = run(capsys, "score", *argv)
    assert status == 0, err
    return json.loads(out)


INCOMPLETE = [
    # (instrument, answers, positive, total_at_least, risk item unanswered)
    ("whooley", "1,-", True, 1, False),
    ("whooley", "-,1", True, 1, False),
    ("whooley", "0,-", None, 0, False),
    ("gad2", "3,-", True, 3, False),
    ("gad2", "1,-", None, 1, False),
    ("phq2", "-,3", True, 3, False),
    ("phq2", "-,-", None, 0, False),
    ("epds", "3,3,0,3,0,-,-,-,-,3", True, 15, False),  # items 1-5 score 15: "at least 15"
    ("epds", "0,0,3,0,3,3,3,3,3,-", False, 0, True),  # 0 + at most 3 cannot reach 13
    ("epds", "3,3,0,-,2,3,3,3,3,3", None, 10, False),  # 10 + at most 3 could reach 13
    ("phq9", "3,3,3,3,-,0,0,0,0", True, 12, False),
    ("phq9", "1,1,1,1,1,1,1,-,-", None, 7, True),
    ("gad7", "3,3,3,3,-,-,-", True, 12, False),
    ("gad7", "0,0,0,0,0,0,-", False, 0, False),
]


@pytest.mark.parametrize(("code", "answers", "positive", "at_least", "risk_unanswered"), INCOMPLETE)
def test_score_incomplete_for_every_instrument(capsys, code, answers, positive, at_least, risk_unanswered):
    result = score_json(capsys, code, f"--answers={answers}")  # "=" lets a first "-" through argparse
    assert result["complete"] is False
    assert (result["total"], result["band"]) == (None, None)
    assert result["positive"] is positive
    assert result["total_at_least"] == at_least
    assert result["risk_item_unanswered"] is risk_unanswered


@pytest.mark.parametrize(
    ("code", "answers", "total"),
    [
        ("whooley", "1,1", 2),
        ("gad2", "1,1", 2),
        ("phq2", "2,2", 4),
        ("epds", "0,0,3,0,3,3,3,3,3,3", 0),
        ("phq9", "0,0,0,0,0,0,0,0,0", 0),
        ("gad7", "3,3,3,3,3,3,3", 21),
    ],
)
def test_score_complete_for_every_instrument(capsys, code, answers, total):
    result = score_json(capsys, code, "--answers", answers)
    assert (result["complete"], result["total"], result["total_at_least"]) == (True, total, total)
    assert result["risk_item_unanswered"] is False
    assert isinstance(result["positive"], bool)


def test_score_role_father_uses_the_father_epds_cut_off(capsys):
    answers = "2,1,2,1,2,2,2,2,2,3"  # EPDS total 10
    mother = score_json(capsys, "epds", "--answers", answers)
    father = score_json(capsys, "epds", "--answers", answers, "--role", "father")
    partner = score_json(capsys, "epds", "--answers", answers, "--role", "partner")
    assert (mother["total"], mother["positive"], mother["cutoff"]) == (10, False, 13)
    assert (father["total"], father["positive"], father["cutoff"]) == (10, True, 10)
    assert partner["positive"] is True


def test_score_reads_a_thresholds_file(capsys, tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"version": "trust-1", "cutoffs": {"gad2": 2}}))
    result = score_json(capsys, "gad2", "--answers", "1,1", "--thresholds", str(path))
    assert (result["positive"], result["cutoff"], result["thresholds_version"]) == (True, 2, "trust-1")
