"""Hand-built snapshots: a few rows with sensible defaults, written as pimh-snapshot/1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa

from pimh.analytics import engine, snapshot
from pimh.analytics.indicators import Settings, parse_quarter

D = dt.date.fromisoformat
EXTRACT = dt.date(2026, 11, 23)


class Snap:
    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in snapshot.TABLES}
        self.serial = 0

    def _add(self, table: str, **values: Any) -> dict[str, Any]:
        row = dict.fromkeys(snapshot.TABLES[table])
        unknown = set(values) - set(row)
        assert not unknown, unknown
        kinds = snapshot.TABLES[table]
        row.update({k: D(v) if kinds[k] == pa.date32() and isinstance(v, str) else v for k, v in values.items()})
        self.rows[table].append(row)
        return row

    def child(self, child_id: str, dob: str, **values: Any) -> str:
        defaults = {
            "sex": "F",
            "ethnic_category": "A",
            "imd_decile": 5,
            "local_authority": "E06000001",
            "team_id": "T1",
            "responsible_from": dob,
            "looked_after": False,
            "birthing_parent_id": f"mother-{child_id}",
            "gestation_weeks": 40,
            "service_level": "universal",
            "child_protection_plan": False,
        }
        self._add("children", child_id=child_id, date_of_birth=dob, **{**defaults, **values})
        if not any(p["parent_id"] == f"mother-{child_id}" for p in self.rows["parents"]):
            self.parent(f"mother-{child_id}", "birthing_parent")
        return child_id

    def parent(self, parent_id: str, role: str, child_id: str | None = None, relationship: str | None = None) -> str:
        self._add("parents", parent_id=parent_id, role=role, ethnic_category="A", local_authority="E06000001")
        if child_id:
            self._add("parent_child", parent_id=parent_id, child_id=child_id, relationship=relationship)
        return parent_id

    def contact(
        self,
        kind: str,
        day: str,
        child_id: str | None = None,
        *,
        mechanism: str = "01",
        attendance: str = "5",
        **values: Any,
    ) -> str:
        self.serial += 1
        contact_id = f"k{self.serial}"
        self._add(
            "contacts",
            contact_id=contact_id,
            contact_type=kind,
            contact_date=day,
            child_id=child_id,
            mechanism=mechanism,
            attendance=attendance,
            team_id="T1",
            **values,
        )
        return contact_id

    def pregnancy(self, pregnancy_id: str, edd: str, parent_id: str | None = None) -> str:
        parent_id = parent_id or f"mother-{pregnancy_id}"
        self.parent(parent_id, "birthing_parent")
        self._add(
            "pregnancies",
            pregnancy_id=pregnancy_id,
            parent_id=parent_id,
            edd=edd,
            outcome="ongoing",
            team_id="T1",
            local_authority="E06000001",
        )
        return pregnancy_id

    def screen(
        self,
        parent_id: str,
        instrument: str,
        day: str,
        *,
        role: str = "birthing_parent",
        child_id: str | None = None,
        positive: bool | None = False,
        risk: bool | None = None,
        complete: bool = True,
    ) -> None:
        self.serial += 1
        self._add(
            "screens",
            screen_id=f"s{self.serial}",
            parent_id=parent_id,
            parent_role=role,
            child_id=child_id,
            instrument=instrument,
            screen_date=day,
            complete=complete,
            total=0,
            positive=positive,
            risk_item_flag=risk,
        )

    def referral(
        self,
        sent_on: str,
        *,
        parent_id: str | None = None,
        child_id: str | None = None,
        service_kind: str = "perinatal_mh_team",
        urgency: str = "routine",
        **values: Any,
    ) -> None:
        self.serial += 1
        self._add(
            "referrals",
            referral_id=f"r{self.serial}",
            subject="parent",
            parent_id=parent_id,
            child_id=child_id,
            service_kind=service_kind,
            urgency=urgency,
            sent_on=sent_on,
            **values,
        )

    def asq(self, contact_id: str, child_id: str, interval: int, **scores: int) -> None:
        for domain, score in scores.items():
            self._add(
                "asq3_scores",
                contact_id=contact_id,
                child_id=child_id,
                interval_months=interval,
                domain=domain,
                score=score,
            )

    def write(self, folder: Path, coverage: str = "service") -> Path:
        tables = {name: pa.Table.from_pylist(rows, schema=snapshot.schema_of(name)) for name, rows in self.rows.items()}
        snapshot.write_snapshot(
            folder, tables, producer="test", source="hand-built", extract_date=EXTRACT, coverage=coverage
        )
        return folder


def counts(
    folder: Path, query, quarter: str = "FY2026Q1", settings: Settings | None = None, by: list[str] | None = None
) -> dict[Any, tuple[int, int]]:
    """{code: (numerator, denominator)} (or {(code, *group): ...} with ``by``) from one engine query, unrounded."""
    src = engine.open_snapshot(folder)
    units = query(src, parse_quarter(quarter), settings or Settings())
    rows = engine.aggregate(units, by or [])
    if by:
        return {(r["code"], *[r[b] for b in by]): (r["num"], r["den"]) for r in rows}
    return {r["code"]: (r["num"], r["den"]) for r in rows}


def coverage(folder: Path, query, quarter: str = "FY2026Q1") -> dict[str, int]:
    src = engine.open_snapshot(folder)
    rows = engine.aggregate(query(src, parse_quarter(quarter), Settings()), [])
    return {r["code"]: r["aux"] for r in rows}
