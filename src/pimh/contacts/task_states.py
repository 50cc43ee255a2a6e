"""The task lifecycle as an explicit state machine (pure: no Django).

    upcoming -> due -> overdue -> completed | cancelled (with reason) | expired

Date-driven moves (``refresh``) follow the task's window; people drive
``complete`` and ``cancel``. A contact that did not happen (did not attend,
cancelled, no access) is an ``attempt``: recorded in the history, state unchanged.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class TaskStatus(StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class TaskEventName(StrEnum):
    CREATED = "created"
    REFRESH = "refresh"
    COMPLETE = "complete"
    CANCEL = "cancel"
    ATTEMPT = "attempt"
    REASSIGN = "reassign"
    RESCHEDULE = "reschedule"  # the window moved (a corrected date of birth or EDD)


OPEN = frozenset({TaskStatus.UPCOMING, TaskStatus.DUE, TaskStatus.OVERDUE})
# The states "My work" lists (due and overdue; upcoming tasks are not yet actionable).
WORKLIST = (TaskStatus.DUE.value, TaskStatus.OVERDUE.value)
CLOSED = frozenset({TaskStatus.COMPLETED, TaskStatus.CANCELLED, TaskStatus.EXPIRED})


class IllegalTransition(ValueError):
    """The event is not allowed from the task's current state."""


def status_on(*, due_from: date, due_by: date, expires_on: date | None, today: date) -> TaskStatus:
    """Where the calendar puts an open task today."""
    if today < due_from:
        return TaskStatus.UPCOMING
    if today <= due_by:
        return TaskStatus.DUE
    if expires_on is not None and today > expires_on:
        return TaskStatus.EXPIRED
    return TaskStatus.OVERDUE


def next_status(
    current: TaskStatus,
    event: TaskEventName,
    *,
    today: date,
    due_from: date,
    due_by: date,
    expires_on: date | None,
) -> TaskStatus:
    """The state after ``event``; raises IllegalTransition for a closed task."""
    if current not in OPEN:
        raise IllegalTransition(f"A {current.value} task cannot take the event {event.value!r}")
    if event == TaskEventName.COMPLETE:
        return TaskStatus.COMPLETED
    if event == TaskEventName.CANCEL:
        return TaskStatus.CANCELLED
    if event in (TaskEventName.REFRESH, TaskEventName.ATTEMPT, TaskEventName.REASSIGN, TaskEventName.RESCHEDULE):
        return status_on(due_from=due_from, due_by=due_by, expires_on=expires_on, today=today)
    raise IllegalTransition(f"Unknown event {event.value!r}")
