"""Diary rules: where a booking date sits against a task's window, and the days a diary page shows.

Pure (no Django): tested without a database (tests/diary/test_rules.py).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

DAY = "day"
WEEK = "week"
VIEWS = (DAY, WEEK)


class WindowPosition(Enum):
    BEFORE = "before"
    INSIDE = "inside"
    AFTER = "after"


def window_position(day: dt.date, *, due_from: dt.date, due_by: dt.date) -> WindowPosition:
    """Where ``day`` sits against a task's window; both ends of the window are inside it."""
    if day < due_from:
        return WindowPosition.BEFORE
    if day > due_by:
        return WindowPosition.AFTER
    return WindowPosition.INSIDE


def spoken(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def window_warning(day: dt.date, *, due_from: dt.date, due_by: dt.date, label: str) -> str | None:
    """The warning for a booking outside the task's window, or None inside it."""
    position = window_position(day, due_from=due_from, due_by=due_by)
    if position is WindowPosition.INSIDE:
        return None
    side = "before" if position is WindowPosition.BEFORE else "after"
    return (
        f"This booking is {side} the window of the {label} ({spoken(due_from)} to {spoken(due_by)}): "
        "a contact outside the window is recorded as late or early"
    )


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def shown_days(day: dt.date, view: str) -> list[dt.date]:
    """The days a diary page shows: the day itself, or Monday to Sunday of its week."""
    if view == WEEK:
        start = week_start(day)
        return [start + dt.timedelta(days=n) for n in range(7)]
    return [day]


def step(day: dt.date, view: str, direction: int) -> dt.date:
    """The day the previous (-1) or next (+1) page shows: a day or a week away."""
    return day + dt.timedelta(days=direction * (7 if view == WEEK else 1))


def parse_day(text: str | None, *, today: dt.date) -> dt.date:
    """A ``YYYY-MM-DD`` query value, or today when it is missing or not a date."""
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return today


def parse_view(text: str | None) -> str:
    return text if text in VIEWS else DAY


def booked_text(day: dt.date, time: dt.time) -> str:
    """How a booking is shown on its task, e.g. "Booked for 12 Mar 10:00"."""
    return f"Booked for {day.day} {day:%b} {time:%H:%M}"
