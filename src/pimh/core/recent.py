"""Aggregate counts kept for a short while (``AGGREGATE_CACHE_SECONDS``) instead of recounted per view.

For counts over a whole team or the whole service (the team view, the service overview): their cost
grows with the team or the trust, while what they show changes slowly. Only counts are kept, never
identifiable records, in the process's cache. Pages that use it say when the counts were taken.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

T = TypeVar("T")


def recent(key: str, compute: Callable[[], T]) -> tuple[T, dt.datetime]:
    """The value under ``key`` and when it was computed: computed now if absent or older than the setting."""
    if settings.AGGREGATE_CACHE_SECONDS == 0:
        return compute(), timezone.now()
    key = "pimh-recent:" + hashlib.sha256(key.encode()).hexdigest()  # any text: within every backend's key rules
    kept = cache.get(key)
    if kept is not None:
        return kept  # type: ignore[no-any-return]
    value = (compute(), timezone.now())
    cache.set(key, value, settings.AGGREGATE_CACHE_SECONDS)
    return value
