"""Data-quality checks printed with every indicator run. Pure: no Django.

Identities between indicators (C5 >= C4, C2 + C3 <= 100%) and record checks on the snapshot: contacts
before birth or after death, and codes outside the contract's code lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ibis.expr.types as ir

from pimh.analytics.engine import Source
from pimh.analytics.indicators import ASQ3_CUTOFFS

ETHNIC_CODES = [*"ABCDEFGHJKLMNPRS", "Z", "99"]
KNOWN_CODES: dict[tuple[str, str], list[str]] = {
    ("contacts", "contact_type"): [
        "antenatal", "new_birth_visit", "six_to_eight_week", "twelve_month", "two_to_two_and_half_year",
        "additional", "listening_visit", "transfer_in", "other",
    ],
    ("contacts", "mechanism"): [f"{n:02d}" for n in range(1, 13)] + ["98"],
    ("contacts", "attendance"): ["2", "3", "4", "5", "6", "7"],
    ("children", "ethnic_category"): ETHNIC_CODES,
    ("children", "service_level"): ["community", "universal", "universal_plus", "universal_partnership_plus"],
    ("screens", "instrument"): ["whooley", "gad2", "phq2", "epds", "phq9", "gad7"],
    ("referrals", "service_kind"): [
        "gp", "talking_therapies", "perinatal_mh_team", "mother_baby_unit", "parent_infant_team", "camhs",
        "specialist_hv", "social_care", "other",
    ],
}  # fmt: skip


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.name, "passed": self.passed, "detail": self.detail}


def identities(overall: Mapping[str, tuple[int, int]]) -> list[Check]:
    """``overall`` maps code -> (numerator, denominator) for the whole snapshot (unrounded)."""

    def share(code: str) -> float | None:
        num, den = overall.get(code, (0, 0))
        return None if den == 0 else num / den

    checks = []
    c4, c5 = share("C4"), share("C5")
    if c4 is not None and c5 is not None:
        checks.append(Check("C5 >= C4", c5 >= c4, f"C5 {100 * c5:.1f}%, C4 {100 * c4:.1f}%"))
    c2, c3 = share("C2"), share("C3")
    if c2 is not None and c3 is not None:
        checks.append(Check("C2 + C3 <= 100%", c2 + c3 <= 1.0, f"C2 + C3 = {100 * (c2 + c3):.1f}%"))
    return checks


def _count(expr: ir.Table) -> int:
    return int(expr.count().to_pyarrow().as_py())


def record_checks(src: Source) -> list[Check]:
    k, c = src.tables["contacts"], src.tables["children"]
    linked = k.filter(k.child_id.notnull()).join(c.select("child_id", "date_of_birth", "date_of_death"), "child_id")
    before = _count(linked.filter(linked.contact_date < linked.date_of_birth))
    after = _count(linked.filter(linked.date_of_death.notnull() & (linked.contact_date > linked.date_of_death)))
    checks = [
        Check("contacts before birth", before == 0, f"{before} contact(s) dated before the child's birth"),
        Check("contacts after death", after == 0, f"{after} contact(s) dated after the child's death"),
    ]
    for (table, column), known in KNOWN_CODES.items():
        t = src.tables[table]
        unknown = _count(t.filter(t[column].notnull() & ~t[column].isin(known)))
        checks.append(
            Check(f"unknown codes: {table}.{column}", unknown == 0, f"{unknown} row(s) with a code not in the list")
        )
    scores = src.tables["asq3_scores"]
    intervals = sorted({interval for interval, _ in ASQ3_CUTOFFS})
    odd = _count(scores.filter(~scores.interval_months.isin(intervals)))
    checks.append(
        Check("unknown codes: asq3_scores.interval_months", odd == 0,
              f"{odd} score(s) at an interval without a cut-off (only {', '.join(map(str, intervals))} months)")
    )  # fmt: skip
    return checks
