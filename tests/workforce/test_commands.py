"""``pimh workforce``, ``pimh workforce params`` and ``pimh workforce waits`` end to end (no database)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from pimh import cli
from pimh.workforce.params import SCENARIOS_DIR
from tests.workforce.fixtures import child, write_snapshot

STAFF = [
    {"practitioner_id": "p1", "team_id": "T1", "role": "hv", "wte": 1.0, "band": "6"},
    {"practitioner_id": "p2", "team_id": "T1", "role": "hv", "wte": 0.8, "band": "6"},
]
TEAMS = [{"team_id": "T1", "name": "North", "local_authority": "E06000001"}]


@pytest.fixture
def snapshot(tmp_path):
    rows = [
        child(i, dt.date(2022 + i % 4, 1 + i % 12, 1 + i % 28), decile=1 + i % 10, plan=i % 40 == 0) for i in range(300)
    ]
    rows += [child(1000 + i, dt.date(2023, 5, 1 + i % 28), la="E06000002", level="universal_plus") for i in range(60)]
    rows += [child(2000, dt.date(2020, 1, 1))]  # aged 6: not counted
    return write_snapshot(tmp_path / "snap", rows, staff=STAFF, teams=TEAMS)


def run(capsys, *argv):
    status = cli.main(list(argv), {})
    out, err = capsys.readouterr()
    return status, out, err


def test_json_output_has_the_contract_shape_and_ihv_is_children_over_250(capsys, snapshot):
    status, out, err = run(capsys, "workforce", "--snapshot", str(snapshot), "--draws", "500", "--seed", "3")
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert result["params_version"] == "2026.1"
    assert [a["local_authority"] for a in result["areas"]] == ["E06000001", "E06000002"]
    first, second = result["areas"]
    assert first["children"] == 300
    assert second["children"] == 60
    assert first["benchmarks"]["ihv_1_250"] == round(300 / 250, 2)
    assert second["benchmarks"]["ihv_1_250"] == round(60 / 250, 2)
    assert set(first["wte_required"]) == {"p05", "p50", "p95", "central"}
    assert first["wte_required"]["p05"] <= first["wte_required"]["p50"] <= first["wte_required"]["p95"]
    assert set(first["parts"]) == {"mandated", "additional", "pimh", "safeguarding"}
    assert first["wte_in_post"] == 1.8
    assert first["gap"] == round(first["wte_required"]["p50"] - 1.8, 2)
    assert second["wte_in_post"] is None and second["gap"] is None
    assert result["total"]["children"] == 360
    assert result["tornado"][0]["total_at_low"] != result["tornado"][0]["total_at_high"]


def test_the_same_seed_gives_the_same_output(capsys, snapshot):
    args = ("workforce", "--snapshot", str(snapshot), "--draws", "300", "--seed", "8")
    assert run(capsys, *args)[1] == run(capsys, *args)[1]


def test_a_scenario_shows_the_change_from_the_baseline(capsys, snapshot):
    scenario = SCENARIOS_DIR / "switch_on_three_to_four_month.toml"
    status, out, _ = run(
        capsys, "workforce", "--snapshot", str(snapshot), "--draws", "300", "--scenario", str(scenario)
    )
    result = json.loads(out)
    assert status == 0
    assert result["scenario"]["changes"] == {"mandated.three_to_four_month.coverage": 1.0}
    assert result["areas"][0]["change_from_baseline"]["central"] > 0
    assert result["total"]["change_from_baseline"]["p50"] > 0


def test_csv_and_html_formats_and_out_file(capsys, snapshot, tmp_path):
    status, out, _ = run(capsys, "workforce", "--snapshot", str(snapshot), "--draws", "200", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0
    assert [r["local_authority"] for r in rows] == ["E06000001", "E06000002"]
    assert float(rows[0]["ihv_1_250"]) == 1.2
    target = tmp_path / "out.html"
    status, out, _ = run(
        capsys, "workforce", "--snapshot", str(snapshot), "--draws", "200", "--format", "html", "--out", str(target)
    )
    assert (status, out) == (0, "")
    page = target.read_text()
    assert "<table>" in page and "E06000002" in page and "<script" not in page
    assert page.count("<svg") == 1 and "<polygon" in page  # in post known for one area


def test_pdf_format_writes_a_pdf_file_and_needs_out(capsys, snapshot, tmp_path):
    target = tmp_path / "model.pdf"
    status, out, _ = run(
        capsys, "workforce", "--snapshot", str(snapshot), "--draws", "200", "--format", "pdf", "--out", str(target)
    )
    assert (status, out) == (0, "")
    assert target.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("workforce",), "give --snapshot DIR"),
        (("workforce", "--snapshot", "/no/such/folder"), "does not exist"),
        (("workforce", "--snapshot", "SNAP", "--draws", "0"), "--draws: must be from 1"),
        (("workforce", "--snapshot", "SNAP", "--format", "docx"), "invalid choice: 'docx'"),
        (("workforce", "--snapshot", "SNAP", "--format", "pdf"), "--format pdf needs --out FILE"),
        (("workforce", "--snapshot", "SNAP", "--scenario", "/no/such.toml"), "cannot read scenario"),
        (("workforce", "--snapshot", "SNAP", "--params", "1999.1"), "no parameter version '1999.1'"),
        (("workforce", "waits", "--arrivals-per-week", "-3", "--specialist-wte", "2"), "must be more than 0"),
        (("workforce", "waits", "--arrivals-per-week", "3"), "required: --specialist-wte"),
        (
            ("workforce", "waits", "--arrivals-per-week", "3", "--specialist-wte", "2", "--treatment-share", "2"),
            "treatment share",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, snapshot, argv, message):
    argv = tuple(str(snapshot) if a == "SNAP" else a for a in argv)
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.startswith("pimh: error: ") and err.count("\n") == 1
    assert message in err


def test_params_lists_every_parameter_with_unit_and_source(capsys):
    status, out, _ = run(capsys, "workforce", "params", "--json")
    result = json.loads(out)
    assert status == 0
    prevalence = next(p for p in result["parameters"] if p["name"] == "pimh.postnatal_prevalence")
    assert prevalence == {
        "name": "pimh.postnatal_prevalence",
        "value": 0.15,
        "unit": "share of births",
        "source": "assumption (data-standards.md section 5 default)",
        "low": 0.12,
        "high": 0.18,
    }
    status, out, _ = run(capsys, "workforce", "params")
    assert status == 0 and "productive.sickness = 0.054 [0.04 to 0.07]" in out


def test_waits_reports_standards_and_the_wte_needed(capsys):
    argv = ("workforce", "waits", "--arrivals-per-week", "5", "--specialist-wte", "2.5", "--seed", "2")
    status, out, _ = run(capsys, *argv)
    result = json.loads(out)
    assert status == 0
    assert result["assessment"]["standard_weeks"] == 2.0
    assert result["treatment"]["standard_weeks"] == 6.0
    assert result["meets_standards"] is False
    assert result["wte_needed"] > 2.5
    assert run(capsys, *argv)[1] == out
