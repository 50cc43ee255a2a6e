"""What referral pages show: queries in a fixed number, grouping for the lead's views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from django.db.models import Count, F, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from pimh.core.ages import add_months, age_text
from pimh.core.date_sql import PlusDays
from pimh.core.models import Role, User
from pimh.core.recent import recent
from pimh.families import timeline
from pimh.families.models import Family, PersonRole
from pimh.families.scope import Scope
from pimh.referrals import services
from pimh.referrals.models import (
    Course,
    DeclineReason,
    Referral,
    ReferralEvent,
    ServiceKind,
    SpecialistInvolvement,
    SupervisionSession,
    TrainingRecord,
    Urgency,
)
from pimh.referrals.states import AWAITING_APPOINTMENT, OPEN, STATE_LABELS, WAITING, State
from pimh.referrals.working_days import add_working_days

SUPERVISION_INTERVAL_MONTHS = 3  # our design default: supervision at least every 3 months


def team_referrals_of(scope: Scope) -> QuerySet[Referral]:
    """Referrals of the families of the user's own teams (not those opened under break-glass)."""
    return scope.referrals.filter(family__team_id__in=scope.team_ids)


def family_section(request: object, family: Family) -> list[timeline.Section]:
    referrals = list(family.referrals.filter(status__in=[s.value for s in OPEN]).select_related("person", "service"))
    return [
        timeline.Section(
            "referrals/family_section.jinja",
            {
                "referrals": referrals,
                "add_url": reverse("referral-add", args=[family.pk]),
                "involvements": list(
                    family.specialist_involvements.filter(ended__isnull=True).select_related("specialist")
                ),
                "involvement_url": reverse("involvement-add", args=[family.pk]),
                "messages_url": reverse("family-messages", args=[family.pk]),
                "message_count": family.messages.count(),
                "last_message": family.messages.select_related("author").order_by("-at", "-pk").first(),
            },
            place="main",
        )
    ]


def family_entries(family: Family) -> list[timeline.Entry]:
    events = ReferralEvent.objects.filter(referral__family=family).select_related("referral__service")
    return [
        timeline.Entry(
            timezone.localdate(event.at),
            "Referral",
            f"Referral to {event.referral.service.name}: {STATE_LABELS[State(event.to_status)].lower()}",
            detail=event.note,
            url=reverse("referral-detail", args=[event.referral_id]),
        )
        for event in events
    ]


class Waiting(Protocol):
    """What the standards read of a referral: a model, or one row of a list read as values."""

    @property
    def status(self) -> str: ...
    @property
    def urgency(self) -> str: ...
    @property
    def sent_on(self) -> dt.date | None: ...
    @property
    def first_appointment_on(self) -> dt.date | None: ...


class WaitingRow(NamedTuple):
    status: str
    urgency: str
    sent_on: dt.date | None
    first_appointment_on: dt.date | None


def chase_due(referral: Waiting) -> dt.date | None:
    if referral.sent_on is None:
        return None
    return add_working_days(referral.sent_on, services.CHASE_WORKING_DAYS[Urgency(referral.urgency)])


def overdue_reason(referral: Waiting, today: dt.date) -> str:
    """Why a referral is overdue against our standards, or '' if it is not."""
    if referral.status == State.SENT:
        due = chase_due(referral)
        if due is not None and due < today:
            return f"Not acknowledged by {due:%d %b %Y}"
    if referral.status in AWAITING_APPOINTMENT and referral.sent_on:
        standard = referral.sent_on + services.ASSESSMENT_STANDARD
        if standard < today and (referral.first_appointment_on is None or referral.first_appointment_on > standard):
            return f"Not seen within 2 weeks of referral ({standard:%d %b %Y})"
    return ""


AGE_BANDS = ("0-12 months", "12-24 months", "2 years and over")


def infant_age_band(dob: dt.date, on: dt.date) -> str:
    """The reporting band of an infant's age (domain reference section 5)."""
    if on < add_months(dob, 12):
        return AGE_BANDS[0]
    if on < add_months(dob, 24):
        return AGE_BANDS[1]
    return AGE_BANDS[2]


def latest_sent_overdue(urgency: Urgency, today: dt.date) -> dt.date:
    """The latest date a referral of this urgency can have been sent and be past its chase date today.

    ``chase_due`` grows with the date sent, so "chase date before today" is "sent on or before this".
    """
    day = today
    while add_working_days(day, services.CHASE_WORKING_DAYS[urgency]) >= today:
        day -= dt.timedelta(days=1)
    return day


def overdue_filter(today: dt.date) -> Q:
    """``overdue_reason(referral, today) != ''`` as a database condition (same two standards)."""
    unacknowledged = Q()
    for urgency in Urgency:
        unacknowledged |= Q(urgency=urgency, sent_on__lte=latest_sent_overdue(urgency, today))
    unseen = Q(sent_on__lt=today - services.ASSESSMENT_STANDARD) & (
        Q(first_appointment_on__isnull=True)
        | Q(first_appointment_on__gt=PlusDays(F("sent_on"), services.ASSESSMENT_STANDARD.days))
    )
    # The leading "waiting" term is implied by the two branches; it lets the databases read the
    # partial index of waiting referrals in the list's order (referrals/models.py) and stop at a page.
    return Q(status__in=WAITING) & (
        (Q(status=State.SENT) & unacknowledged) | (Q(status__in=AWAITING_APPOINTMENT) & unseen)
    )


# What the lead's lists show (and ``overdue_reason`` reads), read as values: no model instances per row.
ROW_VALUES = (
    "pk",
    "urgency",
    "status",
    "sent_on",
    "first_appointment_on",
    "decline_reason",
    "family__reference",
    "person__role",
    "person__date_of_birth",
    "service__name",
)


@dataclass(frozen=True)
class ReferralRow:
    """One line of the lead's referral lists."""

    pk: int
    family_reference: str
    infant_age: str  # empty when the referral is for a parent
    service_name: str
    urgency: str
    sent_on: dt.date | None
    status: str
    note: str


def referral_rows(values: list[dict[str, Any]], today: dt.date, *, with_reason: bool) -> list[ReferralRow]:
    """The rows of one page of a list; ``with_reason`` words why each is overdue (``overdue_reason``)."""
    rows = []
    for v in values:
        status = STATE_LABELS[State(v["status"])]
        if v["decline_reason"]:
            status += f": {DeclineReason(v['decline_reason']).label}"
        reason = ""
        if with_reason:
            dates = WaitingRow(v["status"], v["urgency"], v["sent_on"], v["first_appointment_on"])
            reason = overdue_reason(dates, today)
        rows.append(
            ReferralRow(
                pk=v["pk"],
                family_reference=v["family__reference"],
                infant_age=age_text(v["person__date_of_birth"], today)
                if v["person__role"] == PersonRole.INFANT
                else "",
                service_name=v["service__name"],
                urgency=Urgency(v["urgency"]).label,
                sent_on=v["sent_on"],
                status=status,
                note=reason,
            )
        )
    return rows


@dataclass
class AgeDeclines:
    """Declines of infants' referrals for the service's age criteria, by the infant's age when declined."""

    under_two: int = 0
    by_band: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AGE_BANDS, 0))


@dataclass
class TeamReferrals:
    """The lead's four lists as queries (each paginated by the view), their counts, the age-criteria declines."""

    lists: dict[str, QuerySet[Referral, dict[str, Any]]]
    counts: dict[str, int]
    age_declines: AgeDeclines
    counted_at: dt.datetime


def list_conditions(today: dt.date) -> dict[str, Q]:
    """Each of the lead's lists, by its name in the page's address."""
    return {
        "overdue": overdue_filter(today),
        "awaiting": Q(status=State.SENT),
        "appointment": Q(status__in=AWAITING_APPOINTMENT),
        "declined": Q(status=State.DECLINED),
    }


def age_declines(referrals: QuerySet[Referral], today: dt.date) -> AgeDeclines:
    """Count the infants' age-criteria declines by age band (two dates read per decline)."""
    found = AgeDeclines()
    for dob, decided_on in referrals.filter(
        status=State.DECLINED,
        decline_reason="outside_age_criteria",
        person__role=PersonRole.INFANT,
        person__date_of_birth__isnull=False,
    ).values_list("person__date_of_birth", "decided_on"):
        band = infant_age_band(dob, decided_on or today)
        found.by_band[band] += 1
        if band != AGE_BANDS[2]:
            found.under_two += 1
    return found


def team_referrals(scope: Scope, today: dt.date) -> TeamReferrals:
    """The lead's lists and their counts, read fresh (the counts in one pass over the team's referrals);
    the age-criteria declines, kept like the other team-wide counts."""
    referrals = team_referrals_of(scope)
    conditions = list_conditions(today)
    counts = referrals.filter(status__in=[*WAITING, State.DECLINED]).aggregate(
        **{name: Count("pk", filter=condition) for name, condition in conditions.items()}
    )
    declines, counted_at = recent(
        f"age-declines:{sorted(scope.team_ids)}:{today}", lambda: age_declines(referrals, today)
    )
    return TeamReferrals(
        lists={
            name: referrals.filter(condition).order_by("sent_on", "pk").values(*ROW_VALUES)
            for name, condition in conditions.items()
        },
        counts=counts,
        age_declines=declines,
        counted_at=counted_at,
    )


def specialist_families(families: QuerySet[Family], specialist: User) -> QuerySet[Family]:
    """Families in scope the specialist is currently involved with."""
    return families.filter(
        specialist_involvements__specialist=specialist, specialist_involvements__ended__isnull=True
    ).distinct()


def involvements_by_family(
    scope: Scope, specialist: User, family_ids: list[int]
) -> dict[int, list[SpecialistInvolvement]]:
    found: dict[int, list[SpecialistInvolvement]] = {}
    for inv in scope.involvements.filter(specialist=specialist, family_id__in=family_ids, ended__isnull=True):
        found.setdefault(inv.family_id, []).append(inv)
    return found


@dataclass(frozen=True)
class SupervisionRow:
    practitioner: User
    last: dt.date | None
    overdue: bool
    courses: list[str]


def supervision_rows(team_ids: list[int], today: dt.date) -> tuple[list[SupervisionRow], dict[str, int], int]:
    practitioners = list(
        User.objects.filter(teams__id__in=team_ids, role__in=[Role.HEALTH_VISITOR, Role.SPECIALIST_HV], is_active=True)
        .distinct()
        .order_by("last_name", "first_name")
    )
    ids = [p.pk for p in practitioners]
    last = dict(
        SupervisionSession.objects.filter(supervisee_id__in=ids)
        .values("supervisee_id")
        .annotate(last=Max("date"))
        .values_list("supervisee_id", "last")
    )
    courses: dict[int, set[str]] = {}
    for practitioner_id, course in TrainingRecord.objects.filter(practitioner_id__in=ids).values_list(
        "practitioner_id", "course"
    ):
        courses.setdefault(practitioner_id, set()).add(course)
    cutoff = add_months(today, -SUPERVISION_INTERVAL_MONTHS)
    rows = [
        SupervisionRow(
            practitioner=p,
            last=last.get(p.pk),
            overdue=last.get(p.pk) is None or last[p.pk] < cutoff,
            courses=[Course(c).label for c in sorted(courses.get(p.pk, set()))],
        )
        for p in practitioners
    ]
    coverage = {
        course.label: sum(1 for p in practitioners if course.value in courses.get(p.pk, set())) for course in Course
    }
    return rows, coverage, len(practitioners)


SPECIALIST_QUEUE_STATES = ("sent", "acknowledged")


def specialist_queue(scope: Scope) -> QuerySet[Referral]:
    """Referrals to the specialist PIMH health visiting service waiting for a decision, oldest first."""
    return (
        scope.referrals.filter(service__kind=ServiceKind.SPECIALIST_HV, status__in=SPECIALIST_QUEUE_STATES)
        .select_related("family", "family__allocated_hv", "person", "service")
        .order_by("sent_on", "pk")
    )


def can_decide_for_specialist(user: User, referral: Referral) -> bool:
    return (
        user.role == Role.SPECIALIST_HV
        and referral.service.kind == ServiceKind.SPECIALIST_HV
        and referral.status in SPECIALIST_QUEUE_STATES
    )
