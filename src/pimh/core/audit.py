"""Writing audit events. Called inside the same transaction as the change."""

from __future__ import annotations

from typing import Any

from django.db import models

from pimh.core.models import AuditAction, AuditEvent, User


def record(
    *,
    by: User | None,
    action: AuditAction,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    family_id: int | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. ``detail`` must hold field names and codes only."""
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        user=by if by is not None and by.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        family_id=family_id,
        reason=reason,
        detail=detail or {},
    )
