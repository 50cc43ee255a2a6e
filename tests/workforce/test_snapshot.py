"""Reading a pimh-snapshot/1 folder: who counts as a child, births, WTE in post, and clear errors."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from pimh.workforce.snapshot import SnapshotError, build_areas, read_snapshot
from tests.workforce.fixtures import CHILDREN_SCHEMA, child, write_snapshot

EXTRACT = dt.date(2026, 11, 23)
ROLES = ("hv", "lead")


def _areas(tmp_path, children, **kwargs):
    return build_areas(read_snapshot(write_snapshot(tmp_path / "snap", children, **kwargs)), ROLES)


def test_children_are_alive_responsible_and_under_five_at_the_extract_date(tmp_path):
    rows = [
        child(1, dt.date(2021, 11, 24)),  # fifth birthday tomorrow: counted
        child(2, dt.date(2021, 11, 23)),  # fifth birthday today: not under 5
        child(3, dt.date(2026, 11, 23)),  # born today: counted, and a birth
        child(4, dt.date(2026, 11, 24)),  # born after the extract date: does not exist yet
        child(5, dt.date(2024, 1, 1), died=dt.date(2025, 1, 1)),  # died: not counted
        child(6, dt.date(2024, 1, 1), died=dt.date(2026, 12, 1)),  # dies after the extract: counted
        child(7, dt.date(2024, 1, 1), responsible_to=dt.date(2026, 11, 23)),  # responsibility ended today
        child(8, dt.date(2024, 1, 1), responsible_to=dt.date(2026, 11, 24)),  # ends tomorrow: counted
        child(9, dt.date(2024, 1, 1), responsible_from=dt.date(2026, 11, 24)),  # moves in tomorrow
        child(10, dt.date(2025, 11, 23)),  # first birthday today: counted, not a birth of the year
        child(11, dt.date(2025, 11, 24)),  # under 1: a birth of the year
    ]
    data = _areas(tmp_path, rows)
    assert data.areas.codes == ("E06000001",)
    assert list(data.children) == [6]  # children 1, 3, 6, 8, 10, 11
    assert list(data.births) == [2]  # children 3 and 11


def test_a_29_february_birthday_turns_five_on_1_march(tmp_path):
    rows = [child(1, dt.date(2020, 2, 29))]
    on_28 = _areas(tmp_path / "a", rows, extract_date=dt.date(2025, 2, 28))
    on_1 = _areas(tmp_path / "b", rows, extract_date=dt.date(2025, 3, 1))
    assert (list(on_28.children), list(on_1.children)) == ([1], [])


def test_areas_levels_plans_and_deciles_are_grouped(tmp_path):
    rows = [
        child(1, dt.date(2024, 1, 1), decile=1, level="community"),
        child(2, dt.date(2024, 1, 1), decile=10, level="universal_plus", plan=True),
        child(3, dt.date(2024, 1, 1), decile=None, level=None, plan=None),
        child(4, dt.date(2024, 1, 1), decile=2, level="universal_partnership_plus", la="E06000002"),
        child(5, dt.date(2024, 1, 1), la=None),
    ]
    data = _areas(tmp_path, rows)
    a = data.areas
    assert a.codes == ("E06000001", "E06000002")
    assert list(a.known["universal"]) == [1, 0]
    assert list(a.load["universal"]) == [1.0, 0.0]
    assert list(a.unknown["universal"]) == [1, 0]
    assert list(a.known["universal_plus"]) == [1, 0]
    assert list(a.load["universal_plus"]) == [0.0, 0.0]
    assert list(a.known["universal_partnership_plus"]) == [0, 1]
    assert list(a.known["child_protection"]) == [1, 0]
    assert list(a.deprived) == [1, 1]
    assert list(data.children) == [3, 1]
    assert data.without_local_authority == 1


def test_wte_in_post_counts_health_visitor_roles_by_team_local_authority(tmp_path):
    staff = [
        {"practitioner_id": "p1", "team_id": "T1", "role": "hv", "wte": 1.0, "band": "6"},
        {"practitioner_id": "p2", "team_id": "T1", "role": "lead", "wte": 0.6, "band": "7"},
        {"practitioner_id": "p3", "team_id": "T1", "role": "admin", "wte": 1.0, "band": "3"},
        {"practitioner_id": "p4", "team_id": "T2", "role": "sphv", "wte": 1.0, "band": "7"},
    ]
    teams = [
        {"team_id": "T1", "name": "A", "local_authority": "E06000001"},
        {"team_id": "T2", "name": "B", "local_authority": "E06000002"},
    ]
    rows = [
        child(1, dt.date(2024, 1, 1)),
        child(2, dt.date(2024, 1, 1), la="E06000002"),
        child(3, dt.date(2024, 1, 1), la="E06000003"),
    ]
    wte = _areas(tmp_path, rows, staff=staff, teams=teams).areas.wte_in_post
    assert wte[0] == pytest.approx(1.6)
    assert wte[1] == 0.0  # staff there, none in a health visitor role
    assert wte[2] != wte[2]  # NaN: no staff rows for the area


def test_without_a_staff_table_wte_in_post_is_unknown(tmp_path):
    wte = _areas(tmp_path, [child(1, dt.date(2024, 1, 1))]).areas.wte_in_post
    assert wte[0] != wte[0]


def test_an_unknown_schema_version_is_refused(tmp_path):
    folder = write_snapshot(tmp_path / "s", [child(1, dt.date(2024, 1, 1))], schema="pimh-snapshot/2")
    with pytest.raises(
        SnapshotError, match=r"schema 'pimh-snapshot/2' is not supported \(this reader knows pimh-snapshot/1\)"
    ):
        read_snapshot(folder)


def test_a_missing_required_column_is_named(tmp_path):
    schema = pa.schema([f for f in CHILDREN_SCHEMA if f.name != "imd_decile"])
    rows = [{k: v for k, v in child(1, dt.date(2024, 1, 1)).items() if k != "imd_decile"}]
    folder = write_snapshot(tmp_path / "s", rows, children_schema=schema)
    with pytest.raises(SnapshotError, match="table children lacks required column"):
        read_snapshot(folder)


def test_a_folder_without_a_manifest_is_refused(tmp_path):
    with pytest.raises(SnapshotError, match=r"manifest\.json is missing"):
        read_snapshot(tmp_path)


def test_a_decile_out_of_range_and_an_unknown_level_are_refused(tmp_path):
    with pytest.raises(SnapshotError, match="imd_decile must be from 1 to 10"):
        _areas(tmp_path / "a", [child(1, dt.date(2024, 1, 1), decile=11)])
    with pytest.raises(SnapshotError, match="unknown value\\(s\\) targeted"):
        _areas(tmp_path / "b", [child(1, dt.date(2024, 1, 1), level="targeted")])


def test_dictionary_encoded_text_columns_are_read(tmp_path):
    """Some writers store codes as categorical (dictionary) text: the same values must come out."""
    fields = [
        pa.field(f.name, pa.dictionary(pa.int32(), pa.string()))
        if f.name in {"local_authority", "service_level"}
        else f
        for f in CHILDREN_SCHEMA
    ]
    rows = [child(1, dt.date(2024, 1, 1), level="universal_plus"), child(2, dt.date(2024, 1, 1), la="E06000002")]
    data = _areas(tmp_path, rows, children_schema=pa.schema(fields))
    assert data.areas.codes == ("E06000001", "E06000002")
    assert list(data.areas.known["universal_plus"]) == [1, 0]
