"""Lost updates: lock the row being changed, and refuse a save made from a stale form.

A state change locks its row with ``lock`` (``SELECT ... FOR UPDATE``; a no-op on
SQLite, whose writers are serialised anyway) and re-checks the state it read inside
the same transaction. An edit form carries the record's ``version``; ``check_version``
refuses the save when someone else saved first, naming who and when.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from pimh.core.models import AuditAction, AuditEvent, User

M = TypeVar("M", bound=models.Model)


def lock(record: M) -> M:
    """The record's row, locked until the transaction ends (call inside ``transaction.atomic``)."""
    return type(record)._default_manager.select_for_update().get(pk=record.pk)  # type: ignore[no-any-return]


def changed_message(by: User | None, at: dt.datetime | None) -> str:
    who = by.display_name if by is not None else "someone else"
    when = f" at {timezone.localtime(at):%H:%M on %d %b %Y}" if at is not None else ""
    return f"Changed by {who}{when}: review and save again"


def last_change(record: models.Model) -> tuple[User | None, dt.datetime | None]:
    """Who last created or updated the record, and when, from the audit trail."""
    event = (
        AuditEvent.objects.filter(
            object_type=record._meta.label,
            object_id=str(record.pk),
            action__in=[AuditAction.CREATE, AuditAction.UPDATE],
        )
        .select_related("user")
        .order_by("-at", "-id")
        .first()
    )
    return (event.user, event.at) if event is not None else (None, None)


def check_version(record: M, *, seen_version: int | None) -> M:
    """Lock the record's row; refuse (non-field error) if its version moved on since ``seen_version``.

    ``seen_version`` None (a caller without a form, such as an import) skips the comparison but still locks.
    Returns the locked, current row; the caller saves with ``version = current.version + 1``.
    """
    current = lock(record)
    if seen_version is not None and current.version != seen_version:  # type: ignore[attr-defined]
        raise ValidationError(changed_message(*last_change(record)), code="stale")
    return current
