"""Read what the workforce model needs from an analytics snapshot (contract ``pimh-snapshot/1``,
docs/snapshot-schema in the design notes): manifest.json, children.parquet and, when present,
staff.parquet with teams.parquet for the WTE in post. Pure: pyarrow and NumPy, no Django.

Definitions used here (also in docs/workforce.md):
- children C of an area: rows whose ``local_authority`` is the area, alive at the extract date
  (``date_of_death`` null or after it), with the provider responsible (``responsible_from`` on or
  before it and ``responsible_to`` null or after it) and under 5 (born on or before the extract date,
  fifth birthday after it; a 29 February birthday falls on 1 March in other years);
- births B per year: rows of the area under 1 year old at the extract date (alive or not, whoever is
  now responsible: each was a birth that the service had to visit);
- WTE in post: the sum of ``wte`` over staff whose ``role`` is one of the parameter file's
  ``in_post_roles``, by the ``local_authority`` of their team; unknown (null) for an area with no staff
  rows, or when the snapshot has no staff table.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from pimh.workforce.model import DEPRIVED_DECILES, GROUPS, Areas

SCHEMA = "pimh-snapshot/1"
CHILD_COLUMNS = (
    "child_id",
    "date_of_birth",
    "imd_decile",
    "local_authority",
    "responsible_from",
    "responsible_to",
    "date_of_death",
    "service_level",
    "child_protection_plan",
)
LEVEL_OF = {
    "community": "universal",
    "universal": "universal",
    "universal_plus": "universal_plus",
    "universal_partnership_plus": "universal_partnership_plus",
}


class SnapshotError(ValueError):
    """A snapshot the model cannot read (one line, naming the file, table or column)."""


@dataclass(frozen=True)
class Snapshot:
    directory: Path
    extract_date: dt.date
    source: str
    children: pa.Table
    staff: pa.Table | None  # staff joined to their team's local_authority


def _manifest(directory: Path) -> dict[str, object]:
    path = directory / "manifest.json"
    if not directory.is_dir():
        raise SnapshotError(f"snapshot folder {directory} does not exist")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SnapshotError(f"{path} is missing: not a snapshot folder") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise SnapshotError(f"{path} is not valid JSON ({error})") from None
    if not isinstance(manifest, dict):
        raise SnapshotError(f"{path} must hold a JSON object")
    if manifest.get("schema") != SCHEMA:
        raise SnapshotError(f"snapshot schema {manifest.get('schema')!r} is not supported (this reader knows {SCHEMA})")
    return manifest


def _table(directory: Path, name: str, columns: tuple[str, ...]) -> pa.Table:
    path = directory / f"{name}.parquet"
    try:
        schema = pq.read_schema(path)
    except FileNotFoundError:
        raise SnapshotError(f"table {name} is missing ({path.name} not found)") from None
    except (pa.ArrowInvalid, OSError) as error:
        raise SnapshotError(f"table {name}: cannot read {path.name} ({error})") from None
    missing = [column for column in columns if column not in schema.names]
    if missing:
        raise SnapshotError(f"table {name} lacks required column(s) {', '.join(missing)}")
    return pq.read_table(path, columns=list(columns))


def read_snapshot(directory: Path) -> Snapshot:
    manifest = _manifest(directory)
    try:
        extract_date = dt.date.fromisoformat(str(manifest.get("extract_date")))
    except ValueError:
        raise SnapshotError(
            f"manifest extract_date {manifest.get('extract_date')!r} is not a date YYYY-MM-DD"
        ) from None
    children = _table(directory, "children", CHILD_COLUMNS)
    staff = None
    if (directory / "staff.parquet").exists():
        staff = _table(directory, "staff", ("practitioner_id", "team_id", "role", "wte"))
        teams = _table(directory, "teams", ("team_id", "local_authority"))
        staff = staff.join(teams, "team_id", join_type="left outer")
    return Snapshot(directory, extract_date, str(manifest.get("source", "")), children, staff)


def _dates(table: pa.Table, column: str) -> npt.NDArray[np.datetime64]:
    values = table.column(column)
    if not (pa.types.is_date(values.type) or pa.types.is_timestamp(values.type)):
        raise SnapshotError(f"table children column {column} must be a date, not {values.type}")
    return np.asarray(values.cast(pa.date32()).to_numpy(zero_copy_only=False), dtype="datetime64[D]")


def _ymd_key(dates: npt.NDArray[np.datetime64], add_years: int = 0) -> npt.NDArray[np.int64]:
    """year x 10,000 + month x 100 + day, with ``add_years`` added (for birthdays; NaT gives a huge key)."""
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970 + add_years
    months = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    key = years * 10_000 + months * 100 + days
    return np.where(np.isnat(dates), np.iinfo(np.int64).max, key)


def _is_text(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):  # categorical text, as some writers store codes
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind))


def _strings(table: pa.Table, column: str, name: str = "children") -> npt.NDArray[np.str_]:
    values = table.column(column)
    if not _is_text(values.type):
        raise SnapshotError(f"table {name} column {column} must be text, not {values.type}")
    return np.asarray(values.cast(pa.string()).fill_null("").to_numpy(zero_copy_only=False), dtype=str)


@dataclass(frozen=True)
class AreaData:
    areas: Areas
    children: npt.NDArray[np.int64]  # C per area (the count in the JSON)
    births: npt.NDArray[np.int64]
    without_local_authority: int  # counted children with no local authority (left out)


def build_areas(snapshot: Snapshot, in_post_roles: tuple[str, ...]) -> AreaData:
    """Aggregate the children table to one row per local authority (sorted by code)."""
    t = snapshot.children
    extract = np.datetime64(snapshot.extract_date, "D")
    extract_key = int(_ymd_key(np.array([extract]))[0])
    dob = _dates(t, "date_of_birth")
    born = ~np.isnat(dob) & (dob <= extract)
    under_5 = born & (_ymd_key(dob, 5) > extract_key)
    under_1 = born & (_ymd_key(dob, 1) > extract_key)
    death, start, end = _dates(t, "date_of_death"), _dates(t, "responsible_from"), _dates(t, "responsible_to")
    alive = np.isnat(death) | (death > extract)
    responsible = ~np.isnat(start) & (start <= extract) & (np.isnat(end) | (end > extract))
    counted = under_5 & alive & responsible

    la = _strings(t, "local_authority")
    levels = _strings(t, "service_level")
    unknown_levels = sorted(set(levels[counted & (levels != "")]) - set(LEVEL_OF))
    if unknown_levels:
        raise SnapshotError(f"table children column service_level has unknown value(s) {', '.join(unknown_levels)}")
    level = np.array([LEVEL_OF.get(x, "universal") for x in levels], dtype=object)
    plan = t.column("child_protection_plan")
    if not (pa.types.is_boolean(plan.type) or pa.types.is_null(plan.type)):
        raise SnapshotError(f"table children column child_protection_plan must be true/false, not {plan.type}")
    on_plan = np.asarray(plan.cast(pa.bool_()).fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    decile_column = t.column("imd_decile")
    if not (pa.types.is_integer(decile_column.type) or pa.types.is_null(decile_column.type)):
        raise SnapshotError(f"table children column imd_decile must be a whole number, not {decile_column.type}")
    decile = np.asarray(decile_column.cast(pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
    bad = counted & ~np.isnan(decile) & ((decile < 1) | (decile > 10))
    if bad.any():
        raise SnapshotError(f"table children column imd_decile must be from 1 to 10 ({int(bad.sum()):,} rows are not)")

    has_la = la != ""
    codes = tuple(sorted(set(la[(counted | under_1) & has_la])))
    index = {code: i for i, code in enumerate(codes)}
    n = len(codes)
    area = np.array([index.get(code, -1) for code in la], dtype=np.int64)

    def per_area(
        mask: npt.NDArray[np.bool_], weights: npt.NDArray[np.float64] | None = None
    ) -> npt.NDArray[np.float64]:
        keep = mask & (area >= 0)
        return np.bincount(area[keep], weights=None if weights is None else weights[keep], minlength=n).astype(
            np.float64
        )

    known_decile = ~np.isnan(decile)
    load_each = np.where(known_decile, (10.0 - decile) / 9.0, 0.0)
    known, load, unknown = {}, {}, {}
    for group in GROUPS:
        member = counted & (on_plan if group == "child_protection" else level == group)
        known[group] = per_area(member & known_decile)
        load[group] = per_area(member & known_decile, load_each)
        unknown[group] = per_area(member & ~known_decile)
    deprived = per_area(counted & np.isin(decile, DEPRIVED_DECILES))
    births = per_area(under_1)
    areas = Areas(codes, births, known, load, unknown, deprived, _wte_in_post(snapshot, codes, in_post_roles))
    children = per_area(counted)
    return AreaData(areas, children.astype(np.int64), births.astype(np.int64), int((counted & ~has_la).sum()))


def _wte_in_post(snapshot: Snapshot, codes: tuple[str, ...], roles: tuple[str, ...]) -> npt.NDArray[np.float64]:
    result = np.full(len(codes), np.nan)
    if snapshot.staff is None:
        return result
    staff = snapshot.staff
    la = _strings(staff, "local_authority", "teams")
    role = _strings(staff, "role", "staff")
    try:
        wte = np.asarray(staff.column("wte").cast(pa.float64()).fill_null(0.0).to_numpy(zero_copy_only=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise SnapshotError("table staff column wte must be a number") from None
    if np.any(wte < 0):
        raise SnapshotError("table staff column wte must be 0 or more")
    for i, code in enumerate(codes):
        here = la == code
        if here.any():
            result[i] = float(wte[here & np.isin(role, roles)].sum())
    return result
