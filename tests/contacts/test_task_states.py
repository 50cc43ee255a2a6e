"""The task state machine (pure): every transition, the calendar edges, and a property of refresh."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pimh.contacts.task_states import (
    CLOSED,
    OPEN,
    IllegalTransition,
    TaskEventName,
    TaskStatus,
    next_status,
    status_on,
)

S = TaskStatus
E = TaskEventName
FROM = dt.date(2026, 3, 10)
BY = dt.date(2026, 3, 20)
EXPIRES = dt.date(2026, 4, 30)
WINDOW = {"due_from": FROM, "due_by": BY, "expires_on": EXPIRES}
IN_WINDOW = dt.date(2026, 3, 15)

# Open states: people close the task; the calendar (refresh, attempt, reassign) recomputes it.
LEGAL = [
    (current, event, expected)
    for current in sorted(OPEN)
    for event, expected in [
        (E.COMPLETE, S.COMPLETED),
        (E.CANCEL, S.CANCELLED),
        (E.REFRESH, S.DUE),
        (E.ATTEMPT, S.DUE),
        (E.REASSIGN, S.DUE),
    ]
]
ILLEGAL = [(current, event) for current in sorted(CLOSED) for event in E] + [(current, E.CREATED) for current in OPEN]


def test_open_and_closed_partition_the_states():
    assert OPEN | CLOSED == set(S)
    assert not OPEN & CLOSED


@pytest.mark.parametrize(("current", "event", "expected"), LEGAL)
def test_legal_transitions(current, event, expected):
    assert next_status(current, event, today=IN_WINDOW, **WINDOW) == expected


@pytest.mark.parametrize(("current", "event"), ILLEGAL)
def test_illegal_transitions_raise(current, event):
    with pytest.raises(IllegalTransition):
        next_status(current, event, today=IN_WINDOW, **WINDOW)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (FROM - dt.timedelta(days=1), S.UPCOMING),
        (FROM, S.DUE),
        (BY, S.DUE),
        (BY + dt.timedelta(days=1), S.OVERDUE),
        (EXPIRES, S.OVERDUE),
        (EXPIRES + dt.timedelta(days=1), S.EXPIRED),
    ],
)
def test_status_on_edges(today, expected):
    assert status_on(**WINDOW, today=today) == expected


def test_a_task_without_expiry_stays_overdue():
    assert status_on(due_from=FROM, due_by=BY, expires_on=None, today=dt.date(2099, 1, 1)) == S.OVERDUE


@pytest.mark.parametrize("event", [E.REFRESH, E.ATTEMPT, E.REASSIGN])
def test_calendar_events_follow_the_window_from_any_open_state(event):
    assert {next_status(s, event, today=EXPIRES + dt.timedelta(days=1), **WINDOW) for s in OPEN} == {S.EXPIRED}
    assert {next_status(s, event, today=FROM - dt.timedelta(days=1), **WINDOW) for s in OPEN} == {S.UPCOMING}


days = st.integers(min_value=0, max_value=800)
starts = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1))
offsets = st.integers(min_value=-900, max_value=2000)
open_states = st.sampled_from(sorted(OPEN))


@given(current=open_states, start=starts, length=days, grace=days, offset=offsets)
def test_refresh_never_closes_except_by_expiry_and_agrees_with_the_window(current, start, length, grace, offset):
    due_by = start + dt.timedelta(days=length)
    expires_on = due_by + dt.timedelta(days=grace)
    today = start + dt.timedelta(days=offset)
    result = next_status(current, E.REFRESH, today=today, due_from=start, due_by=due_by, expires_on=expires_on)
    assert result in OPEN | {S.EXPIRED}
    assert (result == S.UPCOMING) == (today < start)
    assert (result == S.DUE) == (start <= today <= due_by)
    assert (result == S.OVERDUE) == (due_by < today <= expires_on)
    assert (result == S.EXPIRED) == (today > expires_on)


@given(current=open_states, start=starts, length=days, offset=offsets)
def test_refresh_without_expiry_never_closes(current, start, length, offset):
    due_by = start + dt.timedelta(days=length)
    today = start + dt.timedelta(days=offset)
    result = next_status(current, E.REFRESH, today=today, due_from=start, due_by=due_by, expires_on=None)
    assert result in OPEN
    assert (result == S.OVERDUE) == (today > due_by)
