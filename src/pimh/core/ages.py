"""Ages and calendar-month arithmetic: the one module every other uses. Pure, no Django.

Months are calendar months added with ``dateutil.relativedelta``, which clamps to the end of
the target month (31 Jan + 1 month = 28/29 Feb; 29 Feb 2024 + 12 months = 28 Feb 2025).
An age in completed months is the largest ``m`` for which ``add_months(dob, m) <= on``, so an
age and a contact window never disagree: a baby born on 31 May 2024 is 9 months old on
28 Feb 2025, the day the schedule's 9-month window opens.
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months (may be negative), clamped to the month's end."""
    result: date = start + relativedelta(months=months)
    return result


def age_in_days(dob: date, on: date) -> int:
    """Age in whole days on ``on`` (day of birth = day 0)."""
    if on < dob:
        raise ValueError(f"date {on.isoformat()} is before date of birth {dob.isoformat()}")
    return (on - dob).days


def age_in_months(dob: date, on: date) -> int:
    """Completed calendar months on ``on``, consistent with ``add_months``."""
    if on < dob:
        raise ValueError(f"date {on.isoformat()} is before date of birth {dob.isoformat()}")
    months = (on.year - dob.year) * 12 + (on.month - dob.month)
    while months > 0 and add_months(dob, months) > on:
        months -= 1
    return months


def under(dob: date, on: date, *, months: int) -> bool:
    """Is a child born on ``dob`` younger than ``months`` on ``on``?"""
    return on < add_months(dob, months)


# Child age bands of the caseload filter: [from, to) in completed months. A child exactly 12 months
# old is in "12-24m", not "0-12m"; a child of exactly 5 years is in none.
AGE_BANDS: dict[str, tuple[int, int]] = {"0-12m": (0, 12), "12-24m": (12, 24), "2-5y": (24, 60)}
AGE_BAND_LABELS = {"0-12m": "0 to 12 months", "12-24m": "12 to 24 months", "2-5y": "2 to 5 years"}


def in_age_band(dob: date, on: date, band: str) -> bool:
    """Is a child born on ``dob`` in ``band`` (a key of ``AGE_BANDS``) on ``on``? Not before birth."""
    low, high = AGE_BANDS[band]
    return dob <= on and not under(dob, on, months=low) and under(dob, on, months=high)


def age_text(dob: date | None, on: date) -> str:
    """An infant's age as a health visitor says it: days, weeks, months, then years."""
    if dob is None or on < dob:
        return "Not born yet"
    days = age_in_days(dob, on)
    if days < 28:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 91:
        return f"{days // 7} weeks"
    months = age_in_months(dob, on)
    if months < 24:
        return f"{months} months"
    years, rest = divmod(months, 12)
    return f"{years} years" if rest == 0 else f"{years} years {rest} months"
