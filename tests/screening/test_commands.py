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
