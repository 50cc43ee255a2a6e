"""A tiny writer of `pimh-snapshot/1` folders for the workforce tests (schema as in snapshot-schema.md)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

CHILDREN_SCHEMA = pa.schema(
    [
        ("child_id", pa.string()),
        ("date_of_birth", pa.date32()),
        ("sex", pa.string()),
        ("ethnic_category", pa.string()),
        ("imd_decile", pa.int8()),
        ("local_authority", pa.string()),
        ("team_id", pa.string()),
        ("responsible_from", pa.date32()),
        ("responsible_to", pa.date32()),
        ("date_of_death", pa.date32()),
        ("looked_after", pa.bool_()),
        ("birthing_parent_id", pa.string()),
        ("gestation_weeks", pa.int16()),
        ("service_level", pa.string()),
        ("child_protection_plan", pa.bool_()),
    ]
)
STAFF_SCHEMA = pa.schema(
    [
        ("practitioner_id", pa.string()),
        ("team_id", pa.string()),
        ("role", pa.string()),
        ("wte", pa.float64()),
        ("band", pa.string()),
    ]
)
TEAMS_SCHEMA = pa.schema([("team_id", pa.string()), ("name", pa.string()), ("local_authority", pa.string())])


def child(
    n: int,
    dob: dt.date,
    *,
    la: str = "E06000001",
    decile: int | None = 5,
    level: str | None = "universal",
    plan: bool | None = False,
    responsible_from: dt.date | None = None,
    responsible_to: dt.date | None = None,
    died: dt.date | None = None,
) -> dict[str, object]:
    return {
        "child_id": f"c{n}",
        "date_of_birth": dob,
        "sex": "F",
        "ethnic_category": "A",
        "imd_decile": decile,
        "local_authority": la,
        "team_id": "T1",
        "responsible_from": responsible_from or dob,
        "responsible_to": responsible_to,
        "date_of_death": died,
        "looked_after": False,
        "birthing_parent_id": None,
        "gestation_weeks": 40,
        "service_level": level,
        "child_protection_plan": plan,
    }


def write_snapshot(
    folder: Path,
    children: list[dict[str, object]],
    *,
    extract_date: dt.date = dt.date(2026, 11, 23),
    staff: list[dict[str, object]] | None = None,
    teams: list[dict[str, object]] | None = None,
    schema: str = "pimh-snapshot/1",
    children_schema: pa.Schema = CHILDREN_SCHEMA,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(children, schema=children_schema), folder / "children.parquet")
    tables = {"children": len(children)}
    if staff is not None:
        pq.write_table(pa.Table.from_pylist(staff, schema=STAFF_SCHEMA), folder / "staff.parquet")
        pq.write_table(pa.Table.from_pylist(teams or [], schema=TEAMS_SCHEMA), folder / "teams.parquet")
        tables |= {"staff": len(staff), "teams": len(teams or [])}
    manifest = {
        "schema": schema,
        "created_at": "2026-11-23T10:00:00Z",
        "producer": "tests",
        "source": "test fixture",
        "extract_date": extract_date.isoformat(),
        "tables": tables,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder
