"""``pimh synth`` and ``pimh indicators`` end to end, and their one-line errors."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from pimh import cli
from pimh.analytics import snapshot

from .builders import Snap

ENVIRON = {"DJANGO_SETTINGS_MODULE": "pimh.config.settings"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv), ENVIRON)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def small(tmp_path):
    s = Snap()
    for n in range(12):
        s.child(f"c{n}", "2026-04-01", local_authority="E06000001" if n < 9 else "E06000002")
    for n in range(10):
        s.contact("new_birth_visit", "2026-04-10", f"c{n}")
    s.pregnancy("g1", "2026-07-01")
    s.contact("antenatal", "2026-04-08", pregnancy_id="g1")
    return s.write(tmp_path / "snap")


def indicator(pack, code, group=None):
    return next(row for row in pack["indicators"] if row["code"] == code and row["group"] == (group or {}))


def test_indicators_json_shape_and_suppression(capsys, small):
    status, out, err = run(
        capsys, "indicators", "--snapshot", str(small), "--quarter", "FY2026Q1", "--by", "local_authority"
    )
    assert status == 0
    pack = json.loads(out)
    assert pack["quarter"] == "FY2026Q1"
    assert pack["disclosure"] == "nhsd-2018"
    # A service snapshot is below national level: the overall figure is controlled too.
    assert indicator(pack, "C2") == {
        "code": "C2",
        "group": {},
        "numerator": 10,
        "denominator": 10,
        "percent": 100,
        # Rounded 10 of 12 -> 10 of 10; intervals are "complex calculations" from the unrounded counts.
        "ci_lower": 55.2,
        "ci_upper": 95.3,
    }
    assert indicator(pack, "C2", {"local_authority": "E06000002"})["numerator"] == "*"
    assert indicator(pack, "C2", {"local_authority": "E06000002"})["percent"] == "*"
    c1 = indicator(pack, "C1")
    assert (c1["numerator"], c1["denominator"], c1["percent"]) == ("*", None, None)
    assert "data quality ok   C2 + C3 <= 100%" in err


def test_national_overall_is_not_controlled(capsys, tmp_path):
    s = Snap()
    s.child("c1", "2026-04-01")
    s.contact("new_birth_visit", "2026-04-10", "c1")
    folder = s.write(tmp_path / "snap", coverage="england")
    _, out, _ = run(capsys, "indicators", "--snapshot", str(folder), "--quarter", "FY2026Q1", "--by", "team")
    pack = json.loads(out)
    assert indicator(pack, "C2")["numerator"] == 1
    assert indicator(pack, "C2", {"team": "T1"})["numerator"] == "*"


def test_disclosure_none_and_crossed_breakdown(capsys, small):
    _, out, _ = run(
        capsys,
        "indicators",
        "--snapshot",
        str(small),
        "--quarter",
        "FY2026Q1",
        "--disclosure",
        "none",
        "--by",
        "local_authority,imd_quintile",
    )
    pack = json.loads(out)
    row = indicator(pack, "C2", {"local_authority": "E06000002", "imd_quintile": "3"})
    assert (row["numerator"], row["denominator"]) == (1, 3)
    assert pack["disclosure"] == "none"


@pytest.mark.parametrize("form", ["csv", "html", "xlsx"])
def test_other_formats_carry_the_disclosure_stamp(capsys, small, tmp_path, form):
    target = tmp_path / f"pack.{form}"
    status, out, _ = run(
        capsys, "indicators", "--snapshot", str(small), "--quarter", "FY2026Q1", "--format", form, "--out", str(target)
    )
    assert status == 0
    assert target.stat().st_size > 100
    assert "disclosure nhsd-2018" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--quarter", "2026Q1"], "expected a quarter like FY2026Q1"),
        (["--quarter", "FY2027Q1"], "after the snapshot's extract date 2026-11-23"),
        (["--quarter", "FY2026Q1", "--by", "postcode"], "unknown breakdown 'postcode'"),
        (["--quarter", "FY2026Q1", "--by", "team,imd_quintile,ethnic_group"], "give one breakdown, or two"),
        (["--quarter", "FY2026Q1", "--format", "xlsx"], "--format xlsx needs --out FILE"),
        (["--quarter", "FY2026Q1", "--disclosure", "strict"], "invalid choice: 'strict'"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, small, argv, message):
    status, out, err = run(capsys, "indicators", "--snapshot", str(small), *argv)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("pimh: error: ")
    assert message in err


def test_a_snapshot_missing_a_column_is_refused_with_its_name(capsys, small):
    table = pq.read_table(small / "contacts.parquet").drop_columns(["mechanism"])
    pq.write_table(table, small / "contacts.parquet")
    status, _, err = run(capsys, "indicators", "--snapshot", str(small), "--quarter", "FY2026Q1")
    assert status == 2
    assert err == "pimh: error: table 'contacts' lacks required column 'mechanism'\n"


def test_synth_writes_a_reproducible_snapshot(capsys, tmp_path):
    status, _, err = run(capsys, "synth", "--children", "400", "--out", str(tmp_path / "a"), "--seed", "3")
    assert status == 0
    assert "100%" in err
    run(capsys, "synth", "--children", "400", "--out", str(tmp_path / "b"), "--seed", "3")
    manifest = snapshot.check_snapshot(tmp_path / "a")
    assert manifest["tables"]["children"] == 400
    assert manifest["coverage"] == "england"
    first = pq.read_table(tmp_path / "a" / "contacts.parquet")
    assert first.equals(pq.read_table(tmp_path / "b" / "contacts.parquet"))


def test_synth_refuses_a_folder_that_is_not_a_snapshot(capsys, tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    status, _, err = run(capsys, "synth", "--children", "10", "--out", str(tmp_path))
    assert status == 2
    assert "is not empty and holds no snapshot" in err
    assert (tmp_path / "notes.txt").read_text() == "keep me"
