"""What screening adds to the family record: the urgent banner, screening history with charts, timeline entries.

Each provider uses a fixed number of queries, whatever the family's history.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from pimh.families.models import Family
from pimh.families.timeline import Entry, Section
from pimh.screening import instruments
from pimh.screening.models import FlagStatus, Observation, RelationshipObservation, Screen, UrgentFlag

CHART_WIDTH = 320
CHART_HEIGHT = 120
CHART_PAD = 10


def open_flags_query(flags: QuerySet[UrgentFlag]) -> QuerySet[UrgentFlag]:
    """Open flags, emergencies first then oldest (index status, emergency, raised_at)."""
    return (
        flags.filter(status=FlagStatus.OPEN)
        .select_related("family", "person", "task")
        .order_by("-emergency", "raised_at", "pk")
    )


def open_flags(flags: QuerySet[UrgentFlag]) -> list[UrgentFlag]:
    return list(open_flags_query(flags))


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    screen: Screen


@dataclass(frozen=True)
class Chart:
    """One parent's totals on one instrument over time, drawn as an inline SVG (presentation attributes only)."""

    person_name: str
    instrument: instruments.Instrument
    threshold: int
    threshold_y: float
    points: list[Point]
    screens: list[Screen]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def description(self) -> str:
        totals = ", ".join(
            f"{s.recorded_at:%d %b %Y}: {'incomplete' if s.total is None else s.total}" for s in self.screens
        )
        return f"{self.instrument.name} totals for {self.person_name} (positive from {self.threshold}): {totals}"


def _y(total: int, maximum: int) -> float:
    usable = CHART_HEIGHT - 2 * CHART_PAD
    return CHART_HEIGHT - CHART_PAD - usable * total / max(maximum, 1)


def charts(screens: list[Screen]) -> list[Chart]:
    groups: dict[tuple[int, str], list[Screen]] = {}
    for screen in sorted(screens, key=lambda s: (s.recorded_at, s.pk)):
        groups.setdefault((screen.person_id, screen.instrument), []).append(screen)
    configured = getattr(settings, "SCREENING_THRESHOLDS", instruments.DEFAULT_THRESHOLDS)
    result = []
    for (_, code), group in groups.items():
        spec = instruments.get(code)
        complete = [s for s in group if s.total is not None]
        step = (CHART_WIDTH - 2 * CHART_PAD) / max(len(complete) - 1, 1)
        points = [Point(CHART_PAD + i * step, _y(s.total or 0, spec.max_total), s) for i, s in enumerate(complete)]
        # The cut-off applied to this parent's latest screen (a father's or partner's may differ).
        latest = group[-1].cutoff
        threshold = configured.for_role(group[0].person.role).positive_for(code) if latest is None else latest
        result.append(
            Chart(
                person_name=group[0].person.full_name,
                instrument=spec,
                threshold=threshold,
                threshold_y=_y(threshold, spec.max_total),
                points=points,
                screens=group,
            )
        )
    return sorted(result, key=lambda c: (c.person_name, c.instrument.code))


def sections(request: object, family: Family) -> list[Section]:
    flags = open_flags(family.urgent_flags.all())
    screens = list(family.screens.select_related("person"))
    found = [Section("screening/_urgent_banner.jinja", {"flags": flags}, place="top")] if flags else []
    found.append(
        Section(
            "screening/_history.jinja",
            {"family": family, "charts": charts(screens), "has_screens": bool(screens)},
            place="main",
        )
    )
    return found


def timeline_entries(family: Family) -> list[Entry]:
    entries = []
    for screen in family.screens.select_related("person"):
        spec = instruments.get(screen.instrument)
        result = f"total {screen.total} ({screen.band})" if screen.complete else screen.result_label.lower()
        entries.append(
            Entry(
                screen.recorded_at.date(),
                "Screen",
                f"{spec.name} for {screen.person.given_name}: {result}",
                url=reverse("screen-detail", args=[screen.pk]),
                urgent=bool(screen.risk_item_flag),
            )
        )
    for flag in family.urgent_flags.select_related("person"):
        state = "open" if flag.is_open else "cleared"
        entries.append(
            Entry(
                flag.raised_at.date(),
                "Urgent flag",
                f"{flag.get_reason_display()} ({flag.person.given_name}): {state}",
                detail=f"Action taken: {flag.action_taken}" if flag.action_taken else "",
                url=reverse("flag-detail", args=[flag.pk]),
                urgent=flag.is_open,
            )
        )
    for observation in family.relationship_observations.select_related("parent", "infant"):
        entries.append(
            Entry(
                observation.recorded_at.date(),
                "Relationship",
                f"{observation.parent.given_name} and {observation.infant.given_name}: "
                f"{observation.get_judgement_display().lower()}",
                url=reverse("relationship-detail", args=[observation.pk]),
                urgent=observation.judgement == "significant_concern",
            )
        )
    return entries


def observation_labels(observation: RelationshipObservation) -> list[str]:
    """The observation codes recorded, as their labels (an unknown code is shown as recorded)."""
    labels = dict(Observation.choices)
    return [str(labels.get(code, code)) for code in observation.observations]
