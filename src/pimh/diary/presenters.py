"""What the diary pages and the family record need, from scoped querysets (a fixed number of queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from pimh.diary import rules
from pimh.diary.models import Booking, BookingStatus
from pimh.families import timeline
from pimh.families.models import ADULT_ROLES, Family, Person
from pimh.families.scope import Scope, scope_for


@dataclass(frozen=True)
class DiaryDay:
    day: dt.date
    bookings: list[Booking]
    today: bool


def _with_people(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    return bookings.select_related("family", "task", "task__person", "contact").prefetch_related(
        Prefetch("people", queryset=Person.objects.order_by("role", "pk"), to_attr="who"),
        Prefetch(
            "family__people",
            queryset=Person.objects.filter(role__in=ADULT_ROLES).order_by("role", "date_of_birth", "pk"),
            to_attr="adults",
        ),
    )


def diary_days(scope: Scope, days: list[dt.date], *, today: dt.date) -> list[DiaryDay]:
    """The user's booked and recorded contacts on each of ``days``, in time order (cancelled ones left out)."""
    bookings = _with_people(
        scope.bookings.filter(
            practitioner=scope.user,
            date__gte=days[0],
            date__lte=days[-1],
            status__in=[BookingStatus.BOOKED, BookingStatus.DONE],
        ).order_by("date", "time", "pk")
    )
    by_day: dict[dt.date, list[Booking]] = {day: [] for day in days}
    for booking in bookings:
        by_day[booking.date].append(booking)
    return [DiaryDay(day, by_day[day], day == today) for day in days]


def family_name(family: Family) -> str:
    names = [p.full_name for p in getattr(family, "adults", [])[:2]]
    return " and ".join(names) or f"Family {family.reference}"


def page_links(day: dt.date, view: str, *, today: dt.date) -> dict[str, str]:
    """Previous, next, today and the other view, as diary addresses."""
    base = reverse("diary")
    other = rules.DAY if view == rules.WEEK else rules.WEEK
    return {
        "previous": f"{base}?view={view}&date={rules.step(day, view, -1).isoformat()}",
        "next": f"{base}?view={view}&date={rules.step(day, view, 1).isoformat()}",
        "today": f"{base}?view={view}&date={today.isoformat()}",
        "other": f"{base}?view={other}&date={day.isoformat()}",
    }


def family_section(request: object, family: Family) -> list[timeline.Section]:
    """The family's booked contacts, with links to record or cancel each, and to book one."""
    scope = scope_for(request)  # type: ignore[arg-type]
    bookings = list(
        scope.bookings.filter(family=family, status=BookingStatus.BOOKED)
        .select_related("practitioner", "task")
        .order_by("date", "time", "pk")
    )
    context: dict[str, Any] = {"bookings": bookings, "book_url": reverse("booking-add", args=[family.pk])}
    return [timeline.Section("diary/family_section.jinja", context, place="main")]
