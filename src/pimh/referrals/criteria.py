"""Does a service accept this person? Pure: returns warnings, never blocks (the clinician decides)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pimh.core.ages import add_months

PARENT, INFANT, DYAD = "parent", "infant", "dyad"


@dataclass(frozen=True)
class Criteria:
    sees: str = DYAD  # parent, infant or dyad (both)
    infant_min_months: int = 0  # inclusive
    infant_max_months: int | None = None  # exclusive: 12 accepts up to the day before the first birthday
    urgencies: frozenset[str] = frozenset({"emergency", "urgent", "routine"})
    areas: frozenset[str] = field(default_factory=frozenset)  # LA codes; empty = any area


def _months_text(months: int) -> str:
    if months % 12 == 0 and months:
        years = months // 12
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{months} month{'s' if months != 1 else ''}"


def age_range_text(min_months: int, max_months: int | None) -> str:
    if max_months is None:
        return f"from {_months_text(min_months)}" if min_months else "any age"
    return f"{min_months}-{max_months} months"


def _age_within(criteria: Criteria, date_of_birth: dt.date, on: dt.date) -> bool:
    """Minimum age inclusive, maximum exclusive."""
    if on < add_months(date_of_birth, criteria.infant_min_months):
        return False
    return criteria.infant_max_months is None or on < add_months(date_of_birth, criteria.infant_max_months)


def check(
    criteria: Criteria,
    *,
    is_infant: bool,
    date_of_birth: dt.date | None,
    urgency: str,
    area: str,
    on: dt.date,
    infant_date_of_birth: dt.date | None = None,
) -> list[str]:
    """Warnings for referring this person. ``date_of_birth`` is the person's own (used for an infant);
    ``infant_date_of_birth`` is the family's youngest living infant's, used when a parent is referred
    to a dyad service (mother and baby unit, parent-infant team), whose age criteria are the infant's.
    """
    warnings: list[str] = []
    if is_infant and criteria.sees == PARENT:
        warnings.append("This service sees parents only, and the person referred is an infant")
    if not is_infant and criteria.sees == INFANT:
        warnings.append("This service sees infants only, and the person referred is a parent")
    if is_infant and criteria.sees != PARENT and date_of_birth is not None:
        if not _age_within(criteria, date_of_birth, on):
            warnings.append(
                "Outside age criteria: this service accepts infants aged "
                f"{age_range_text(criteria.infant_min_months, criteria.infant_max_months)}"
            )
    if not is_infant and criteria.sees == DYAD and infant_date_of_birth is not None:
        if not _age_within(criteria, infant_date_of_birth, on):
            warnings.append(
                "Outside age criteria: this service accepts infants aged "
                f"{age_range_text(criteria.infant_min_months, criteria.infant_max_months)}"
                ", and the youngest infant in the family is outside it"
            )
    if urgency not in criteria.urgencies:
        warnings.append(f"This service does not accept {urgency} referrals")
    if criteria.areas and area not in criteria.areas:
        warnings.append("The family lives outside this service's area")
    return warnings
