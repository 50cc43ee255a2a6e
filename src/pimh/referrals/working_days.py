"""Working days in England and Wales: weekends and bank holidays are skipped.

Bank holidays come from the ``holidays`` package (UK, subdivision England; Wales
has the same bank holidays). ``is_working_day`` is the only place that knows.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


@lru_cache(maxsize=4096)  # every row of a list asks it; the answer depends on the two arguments only
def add_working_days(day: dt.date, n: int) -> dt.date:
    """The working day ``n`` working days after ``day``; ``n == 0`` is ``day`` itself."""
    if n < 0:
        raise ValueError("n must not be negative")
    current = day
    while n:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            n -= 1
    return current
