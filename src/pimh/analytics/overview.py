"""Disclosure-controlled counts for the service overview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from pimh.analytics.disclosure import protect
from pimh.core.models import Team
from pimh.core.recent import recent
from pimh.families.models import Person, PersonRole, ServiceLevel


@dataclass(frozen=True)
class OverviewTable:
    levels: list[str]
    rows: list[tuple[str, list[int | str], int | str]]
    counted_at: dt.datetime


def _counts() -> dict[tuple[int, str], int]:
    return {
        (row["family__team_id"], row["family__service_level"]): row["n"]
        for row in Person.objects.filter(role=PersonRole.INFANT)
        .values("family__team_id", "family__service_level")
        .annotate(n=Count("id"))
    }


def children_by_team_and_level() -> OverviewTable:
    """Children per team and service level, each count protected; totals protected from raw sums.

    The counts cover the whole service: kept for AGGREGATE_CACHE_SECONDS (core/recent.py).
    """
    counts, counted_at = recent("service-overview", _counts)
    rows = []
    for team in Team.objects.order_by("name"):
        raw = [counts.get((team.pk, level), 0) for level in ServiceLevel.values]
        rows.append((team.name, [protect(n) for n in raw], protect(sum(raw))))
    return OverviewTable(levels=[label for _, label in ServiceLevel.choices], rows=rows, counted_at=counted_at)
