"""The analyst pages' snapshot of the live database: where it lives, and rebuilding it (audited)."""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from pimh.analytics import export, snapshot
from pimh.core import audit
from pimh.core.models import AuditAction, User

CURRENT = "current"


def live_folder() -> Path:
    return Path(settings.ANALYTICS_SNAPSHOT_DIR) / CURRENT


def live_manifest() -> dict[str, Any] | None:
    """The manifest of the pages' snapshot, or None when none has been built (or it is unreadable)."""
    try:
        return snapshot.read_manifest(live_folder())
    except snapshot.SnapshotError:
        return None


def built_at(manifest: dict[str, Any]) -> dt.datetime:
    return dt.datetime.strptime(manifest["created_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def rebuild_snapshot(*, by: User) -> dict[str, Any]:
    """Write a new pseudonymised snapshot of the database, then swap it in for the pages' one.

    Built in a folder of its own and renamed into place, so a page never reads half a snapshot; the
    previous snapshot (and the page figures cached in it) is removed. One audit event, an export.
    """
    root = Path(settings.ANALYTICS_SNAPSHOT_DIR)
    root.mkdir(parents=True, exist_ok=True)
    building = root / f"building-{uuid.uuid4().hex}"
    # Read outside a transaction: on SQLite an (immediate) transaction would hold the write lock, and
    # stop every practitioner saving a record, for as long as the export takes.
    try:
        manifest = export.write(building)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    with transaction.atomic():
        audit.record(
            by=by, action=AuditAction.EXPORT, object_type="analytics.snapshot",
            detail={"schema": manifest["schema"], "tables": manifest["tables"]},
        )  # fmt: skip
    retired = root / f"retired-{uuid.uuid4().hex}"
    current = live_folder()
    if current.exists():
        current.rename(retired)
    building.rename(current)
    shutil.rmtree(retired, ignore_errors=True)
    return manifest
