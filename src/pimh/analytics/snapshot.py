"""The analytics snapshot contract ``pimh-snapshot/1`` (docs: shared design ``snapshot-schema.md``).

A snapshot is a folder holding ``manifest.json`` and one Parquet file per table (``<table>.parquet``).
Writers check that every required column is present with the contract's type; readers refuse an
unknown schema version, a missing table or a missing column with a message naming it. Extra
columns are allowed and ignored. Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA = "pimh-snapshot/1"
MANIFEST = "manifest.json"

_S, _D, _I, _B, _F = pa.string(), pa.date32(), pa.int32(), pa.bool_(), pa.float64()

#: Required columns of each table with the Arrow type writers use. Identifiers and codes are strings.
TABLES: dict[str, dict[str, pa.DataType]] = {
    "children": {
        "child_id": _S,
        "date_of_birth": _D,
        "sex": _S,
        "ethnic_category": _S,
        "imd_decile": _I,
        "local_authority": _S,
        "team_id": _S,
        "responsible_from": _D,
        "responsible_to": _D,
        "date_of_death": _D,
        "looked_after": _B,
        "birthing_parent_id": _S,
        "gestation_weeks": _I,
        "service_level": _S,
        "child_protection_plan": _B,
    },
    "parents": {"parent_id": _S, "role": _S, "ethnic_category": _S, "local_authority": _S},
    "parent_child": {"parent_id": _S, "child_id": _S, "relationship": _S},
    "pregnancies": {
        "pregnancy_id": _S,
        "parent_id": _S,
        "edd": _D,
        "outcome": _S,
        "outcome_date": _D,
        "team_id": _S,
        "local_authority": _S,
    },
    "contacts": {
        "contact_id": _S,
        "contact_type": _S,
        "contact_date": _D,
        "child_id": _S,
        "pregnancy_id": _S,
        "mechanism": _S,
        "attendance": _S,
        "location": _S,
        "team_id": _S,
        "practitioner_id": _S,
        "duration_minutes": _I,
        "asq3_used": _B,
        "breastfeeding_status": _S,
    },
    "asq3_scores": {"contact_id": _S, "child_id": _S, "interval_months": _I, "domain": _S, "score": _I},
    "screens": {
        "screen_id": _S,
        "parent_id": _S,
        "parent_role": _S,
        "child_id": _S,
        "instrument": _S,
        "screen_date": _D,
        "complete": _B,
        "total": _I,
        "positive": _B,
        "risk_item_flag": _B,
        "contact_id": _S,
    },
    "referrals": {
        "referral_id": _S,
        "subject": _S,
        "parent_id": _S,
        "child_id": _S,
        "service_kind": _S,
        "urgency": _S,
        "sent_on": _D,
        "acknowledged_on": _D,
        "decision": _S,
        "decided_on": _D,
        "decline_reason": _S,
        "first_appointment_on": _D,
        "attended_on": _D,
        "discharged_on": _D,
        "withdrawn_on": _D,
    },
    "staff": {"practitioner_id": _S, "team_id": _S, "role": _S, "wte": _F, "band": _S},
    "teams": {"team_id": _S, "name": _S, "local_authority": _S},
}


class SnapshotError(ValueError):
    """A snapshot that does not meet the contract: the message names what is wrong."""


def schema_of(table: str) -> pa.Schema:
    return pa.schema([pa.field(name, kind) for name, kind in TABLES[table].items()])


def table_path(folder: Path, table: str) -> Path:
    return Path(folder) / f"{table}.parquet"


def empty_table(table: str) -> pa.Table:
    return schema_of(table).empty_table()


def conform(table: str, data: pa.Table) -> pa.Table:
    """``data`` with the required columns first, cast to the contract's types; extra columns kept."""
    missing = [name for name in TABLES[table] if name not in data.column_names]
    if missing:
        raise SnapshotError(f"table {table!r} lacks required column {missing[0]!r}")
    columns = [_cast(data.column(name), kind) for name, kind in TABLES[table].items()]
    extras = [name for name in data.column_names if name not in TABLES[table]]
    return pa.table(columns + [data.column(name) for name in extras], names=[*TABLES[table], *extras])


def _cast(column: pa.ChunkedArray, kind: pa.DataType) -> pa.ChunkedArray:
    # Dictionary-encoded strings stay encoded (Parquet stores them so; readers see strings).
    if pa.types.is_dictionary(column.type) and column.type.value_type == kind:
        return column
    return column.cast(kind)


# The big tables are written in date order, in row groups of this many rows: each row group's
# Parquet statistics then cover a short span of dates, so a reader asking for a quarter's contacts or
# screens skips the row groups outside it instead of reading every row's date. Row order carries no
# meaning in the schema.
CLUSTER_BY = {"contacts": "contact_date", "screens": "screen_date"}
ROW_GROUP_ROWS = 256 * 1024


class SnapshotWriter:
    """Writes a snapshot table by table (so a producer can free each one), then the manifest.

    ``coverage`` (an extra manifest key) is ``england`` only for a national snapshot: its overall
    figures are national and not disclosure-controlled. Anything else is treated as below national.
    """

    def __init__(self, folder: Path | str, *, producer: str, source: str, extract_date: dt.date,
                 coverage: str = "service") -> None:  # fmt: skip
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.meta = {"producer": producer, "source": source, "extract_date": extract_date, "coverage": coverage}
        self.counts: dict[str, int] = {}

    def add(self, name: str, data: pa.Table) -> None:
        if name not in TABLES:
            raise SnapshotError(f"unknown table {name!r}")
        data = conform(name, data)
        if name in CLUSTER_BY and data.num_rows:
            data = data.sort_by(CLUSTER_BY[name])
        encoded = [f.name for f in data.schema if pa.types.is_dictionary(f.type)]
        pq.write_table(
            data,
            table_path(self.folder, name),
            compression="snappy",
            use_dictionary=encoded,
            row_group_size=ROW_GROUP_ROWS,
        )
        self.counts[name] = data.num_rows

    def finish(self, created_at: dt.datetime | None = None) -> dict[str, Any]:
        for name in TABLES:
            if name not in self.counts:
                self.add(name, empty_table(name))
        created = created_at or dt.datetime.now(dt.UTC)
        extract: dt.date = self.meta["extract_date"]  # type: ignore[assignment]
        manifest = {
            "schema": SCHEMA,
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "producer": self.meta["producer"],
            "source": self.meta["source"],
            "extract_date": extract.isoformat(),
            "coverage": self.meta["coverage"],
            "tables": {name: self.counts[name] for name in TABLES},
        }
        (self.folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
        return manifest


def write_snapshot(
    folder: Path | str,
    tables: Mapping[str, pa.Table],
    *,
    producer: str,
    source: str,
    extract_date: dt.date,
    coverage: str = "service",
    created_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """Write every contract table (missing ones as empty tables) and the manifest; return the manifest."""
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise SnapshotError(f"unknown table {unknown[0]!r}")
    writer = SnapshotWriter(folder, producer=producer, source=source, extract_date=extract_date, coverage=coverage)
    for name, data in tables.items():
        writer.add(name, data)
    return writer.finish(created_at)


def read_manifest(folder: Path | str) -> dict[str, Any]:
    """The manifest, after checking it names the schema version this reader knows."""
    path = Path(folder) / MANIFEST
    if not Path(folder).is_dir():
        raise SnapshotError(f"no snapshot folder at {folder}")
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise SnapshotError(f"{path} is missing: not a snapshot folder") from None
    except json.JSONDecodeError as error:
        raise SnapshotError(f"{path} is not valid JSON ({error.msg})") from None
    if not isinstance(manifest, dict):
        raise SnapshotError(f"{path} is not a JSON object")
    if manifest.get("schema") != SCHEMA:
        raise SnapshotError(
            f"snapshot schema {manifest.get('schema')!r} is not supported (this reader knows {SCHEMA!r})"
        )
    try:
        dt.date.fromisoformat(str(manifest.get("extract_date")))
    except ValueError:
        raise SnapshotError(f"{path}: extract_date {manifest.get('extract_date')!r} is not a date") from None
    return manifest


def extract_date(manifest: Mapping[str, Any]) -> dt.date:
    return dt.date.fromisoformat(str(manifest["extract_date"]))


def check_snapshot(folder: Path | str, tables: Iterable[str] | None = None) -> dict[str, Any]:
    """Check the manifest and that each table exists with every required column; return the manifest."""
    manifest = read_manifest(folder)
    for name in TABLES if tables is None else tables:
        path = table_path(Path(folder), name)
        if not path.exists():
            raise SnapshotError(f"snapshot lacks table {name!r} ({path.name})")
        try:
            present = set(pq.read_schema(path).names)
        except (pa.ArrowInvalid, OSError) as error:
            raise SnapshotError(f"table {name!r}: {path.name} is not a Parquet file ({error})") from None
        for column in TABLES[name]:
            if column not in present:
                raise SnapshotError(f"table {name!r} lacks required column {column!r}")
    return manifest


def read_table(folder: Path | str, name: str) -> pa.Table:
    """One table's required columns, cast to the contract's types (after :func:`check_snapshot`)."""
    check_snapshot(folder, [name])
    data = pq.read_table(table_path(Path(folder), name), columns=list(TABLES[name]))
    return conform(name, data)
