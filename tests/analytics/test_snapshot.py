"""The snapshot contract pimh-snapshot/1: writers conform, readers refuse what they do not know."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pimh.analytics import snapshot
from pimh.analytics.snapshot import SnapshotError

EXTRACT = dt.date(2026, 11, 23)


def write_minimal(folder):
    children = pa.table({name: pa.nulls(1, kind) for name, kind in snapshot.TABLES["children"].items()})
    children = children.set_column(0, "child_id", pa.array(["c1"]))
    return snapshot.write_snapshot(folder, {"children": children}, producer="test", source="test", extract_date=EXTRACT)


def test_writer_writes_every_table_and_a_manifest(tmp_path):
    manifest = write_minimal(tmp_path)
    assert manifest["schema"] == "pimh-snapshot/1"
    assert manifest["tables"]["children"] == 1
    assert manifest["tables"]["contacts"] == 0
    assert sorted(p.stem for p in tmp_path.glob("*.parquet")) == sorted(snapshot.TABLES)
    assert json.loads((tmp_path / "manifest.json").read_text())["extract_date"] == "2026-11-23"


def test_dates_are_date32_and_identifiers_strings(tmp_path):
    write_minimal(tmp_path)
    schema = pq.read_schema(tmp_path / "children.parquet")
    assert schema.field("date_of_birth").type == pa.date32()
    assert schema.field("child_id").type == pa.string()


def test_reader_refuses_an_unknown_schema_version(tmp_path):
    write_minimal(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["schema"] = "pimh-snapshot/2"
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SnapshotError, match="'pimh-snapshot/2' is not supported"):
        snapshot.check_snapshot(tmp_path)


def test_reader_names_a_missing_column_and_its_table(tmp_path):
    write_minimal(tmp_path)
    table = pq.read_table(tmp_path / "contacts.parquet").drop_columns(["attendance"])
    pq.write_table(table, tmp_path / "contacts.parquet")
    with pytest.raises(SnapshotError, match="table 'contacts' lacks required column 'attendance'"):
        snapshot.check_snapshot(tmp_path)


def test_reader_names_a_missing_table(tmp_path):
    write_minimal(tmp_path)
    (tmp_path / "screens.parquet").unlink()
    with pytest.raises(SnapshotError, match="lacks table 'screens'"):
        snapshot.check_snapshot(tmp_path)


def test_a_folder_without_a_manifest_is_refused(tmp_path):
    with pytest.raises(SnapshotError, match=r"manifest\.json is missing"):
        snapshot.read_manifest(tmp_path)


def test_extra_columns_are_allowed_and_ignored_by_readers(tmp_path):
    write_minimal(tmp_path)
    table = pq.read_table(tmp_path / "teams.parquet").append_column("colour", pa.array([], pa.string()))
    pq.write_table(table, tmp_path / "teams.parquet")
    assert snapshot.read_table(tmp_path, "teams").column_names == list(snapshot.TABLES["teams"])


def test_writer_refuses_a_table_missing_a_required_column(tmp_path):
    with pytest.raises(SnapshotError, match="table 'teams' lacks required column 'name'"):
        snapshot.write_snapshot(
            tmp_path,
            {"teams": pa.table({"team_id": ["t"], "local_authority": ["E1"]})},
            producer="t",
            source="t",
            extract_date=EXTRACT,
        )


def test_contacts_are_written_in_date_order_so_row_groups_cover_separate_dates(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "ROW_GROUP_ROWS", 100)
    days = [EXTRACT - dt.timedelta(days=(i * 7919) % 1000) for i in range(1000)]  # every day once, shuffled
    contacts = pa.table({name: pa.nulls(1000, kind) for name, kind in snapshot.TABLES["contacts"].items()})
    contacts = contacts.set_column(
        contacts.schema.get_field_index("contact_id"), "contact_id", pa.array([f"k{i}" for i in range(1000)])
    )
    contacts = contacts.set_column(
        contacts.schema.get_field_index("contact_date"), "contact_date", pa.array(days, pa.date32())
    )
    snapshot.write_snapshot(tmp_path, {"contacts": contacts}, producer="test", source="test", extract_date=EXTRACT)
    written = pq.ParquetFile(tmp_path / "contacts.parquet")
    spans = [
        (group.column(written.schema_arrow.get_field_index("contact_date")).statistics.min,
         group.column(written.schema_arrow.get_field_index("contact_date")).statistics.max)
        for group in (written.metadata.row_group(i) for i in range(written.num_row_groups))
    ]  # fmt: skip
    assert len(spans) == 10
    assert all(earlier[1] < later[0] for earlier, later in itertools.pairwise(spans))
    table = written.read()
    assert sorted(table["contact_date"].to_pylist()) == table["contact_date"].to_pylist()
    assert sorted(table["contact_id"].to_pylist()) == sorted(f"k{i}" for i in range(1000))  # nothing lost
