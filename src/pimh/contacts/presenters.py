"""What the worklist, team and family-record templates need, from scoped querysets.

Every function here uses a fixed number of queries, whatever the number of tasks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from pimh.contacts import counting, services
from pimh.contacts.models import Contact, ContactType, Task
from pimh.contacts.task_states import OPEN, WORKLIST, TaskEventName, TaskStatus
from pimh.core.models import CLINICAL_ROLES, User
from pimh.core.recent import recent
from pimh.diary.rules import booked_text
from pimh.families import presenters as family_presenters
from pimh.families import timeline
from pimh.families.models import ADULT_ROLES, Family, Person, full_name
from pimh.families.scope import Scope, scope_for
from pimh.screening import pathway

OPEN_VALUES = [s.value for s in OPEN]
WORKLIST_STATUSES = list(WORKLIST)


def scoped_tasks(scope: Scope) -> QuerySet[Task]:
    return scope.tasks


def end_of_week(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=6 - today.weekday())


def worklist_tasks(
    scope: Scope, *, kind: str = "", due_this_week: bool = False, overdue_only: bool = False, today: dt.date
) -> QuerySet[Task]:
    """My due and overdue tasks: urgent first, then most days overdue, then due date."""
    tasks = scoped_tasks(scope).filter(assigned_to=scope.user, status__in=WORKLIST_STATUSES)
    if kind:
        tasks = tasks.filter(kind=kind)
    if due_this_week:
        tasks = tasks.filter(due_by__lte=end_of_week(today))
    if overdue_only:
        tasks = tasks.filter(status=TaskStatus.OVERDUE)
    # Overdue tasks have due_by before today, so ascending due_by also puts most days overdue first.
    return (
        tasks.select_related("family", "person")
        .prefetch_related(
            Prefetch(
                "family__people",
                queryset=Person.objects.filter(role__in=ADULT_ROLES).order_by("role", "date_of_birth", "pk"),
                to_attr="adults",
            )
        )
        .annotate(family_has_open_flag=family_presenters.open_flag_exists("family_id"))
        .order_by("-urgent", "due_by", "pk")
    )


def flags_by_task(scope: Scope, tasks: list[Task]) -> dict[int, Any]:
    """The open urgent flag of each urgent task, in one query."""
    urgent = [t.pk for t in tasks if t.kind == "urgent_action"]
    if not urgent:
        return {}
    flags = scope.flags.filter(task_id__in=urgent, status="open")
    return {flag.task_id: flag for flag in flags}


def booked_tasks(scope: Scope, task_ids: list[int]) -> dict[int, str]:
    """Each task's open booking in the diary, as "Booked for 12 Mar 10:00", in one query."""
    if not task_ids:
        return {}
    rows = scope.bookings.filter(task_id__in=task_ids, status="booked").values_list("task_id", "date", "time")
    return {task_id: booked_text(day, time) for task_id, day, time in rows}


def contact_messages(scope: Scope, contact: Contact) -> list[str]:
    """What a recorded contact did to each task (from the task history), or why it does not count."""
    events = scope.task_events.filter(contact=contact).select_related("task__person").order_by("pk")
    found = []
    for event in events:
        task = event.task
        who = f" for {task.person.given_name}" if task.person else ""
        if event.event == TaskEventName.COMPLETE:
            found.append(f"Completed: {task.title}{who}")
        else:
            found.append(f"{event.note}. The task {task.title}{who} stays open.")
    note = counting.contact_note(
        contact_type=contact.contact_type,
        label=contact.get_contact_type_display(),
        mode=contact.mode,
        attendance=contact.attendance,
    )
    if note and not any(message.startswith(note) for message in found):
        found.append(note)
    return found


@dataclass(frozen=True)
class WorklistRow:
    task: Task
    family: Family
    adults: list[Person]
    person: Person | None
    days_overdue: int
    can_record: bool
    flag: Any = None  # the open urgent flag of an urgent task
    family_flagged: bool = False  # the family has an open urgent flag (any task)

    @property
    def emergency_times(self) -> tuple[str, str, int] | None:
        """For an emergency flag: when it was raised, when the specialist assessment is due, in hours."""
        if self.flag is None or self.flag.deadline is None:
            return None
        hours = round((self.flag.deadline - self.flag.raised_at).total_seconds() / 3600)
        raised, due = (
            timezone.localtime(t).strftime("%d %b %Y %H:%M") for t in (self.flag.raised_at, self.flag.deadline)
        )
        return raised, due, hours

    @property
    def family_name(self) -> str:
        return family_label([p.full_name for p in self.adults], self.family.reference)


def family_label(adult_names: list[str], reference: str) -> str:
    """A family as its first two adults' names, or its reference when it has none."""
    return " and ".join(adult_names[:2]) or f"Family {reference}"


def worklist_rows(scope: Scope, tasks: list[Task], *, today: dt.date) -> list[WorklistRow]:
    flags = flags_by_task(scope, tasks)
    return [
        WorklistRow(
            task=task,
            family=task.family,
            adults=task.family.adults,  # type: ignore[attr-defined]
            person=task.person,
            days_overdue=max((today - task.due_by).days, 0) if task.status == TaskStatus.OVERDUE else 0,
            can_record=task.kind in ContactType.values,
            flag=flags.get(task.pk),
            family_flagged=getattr(task, "family_has_open_flag", False),
        )
        for task in tasks
    ]


# ---- team overview ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamMember:
    user: User
    due: int
    overdue: int
    urgent: int
    children: int


def team_members(scope: Scope) -> list[TeamMember]:
    """The clinical members of the lead's teams with their task and caseload counts, counted now."""
    return team_view(scope, fresh=True).members


@dataclass(frozen=True)
class TeamView:
    members: list[TeamMember]
    counted_at: dt.datetime


def team_view(scope: Scope, *, fresh: bool = False) -> TeamView:
    """The members of the lead's teams with their counts, kept for AGGREGATE_CACHE_SECONDS (core/recent.py).

    Three queries when counted, whatever the size of the teams: the members, the open tasks grouped by
    practitioner and status, the infants grouped by allocated practitioner. Never a join of tasks with
    people. "Urgent" counts open urgent tasks, the same tasks "My work" shows first.
    """
    team_ids = scope.team_ids
    users = list(
        User.objects.filter(teams__id__in=team_ids, role__in=CLINICAL_ROLES, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
    ids = [user.pk for user in users]

    def count() -> tuple[dict[int, dict[str, int]], dict[int, int]]:
        services.refresh_statuses(tasks=team_open_tasks(scope))  # states current before they are counted
        tasks = (
            scope.tasks.filter(assigned_to_id__in=ids, family__team_id__in=team_ids, status__in=OPEN_VALUES)
            .values("assigned_to_id")
            .annotate(
                due=Count("pk", filter=Q(status=TaskStatus.DUE)),
                overdue=Count("pk", filter=Q(status=TaskStatus.OVERDUE)),
                urgent=Count("pk", filter=Q(urgent=True)),
            )
        )
        children = (
            scope.people.filter(role="infant", family__allocated_hv_id__in=ids, family__team_id__in=team_ids)
            .values("family__allocated_hv_id")
            .annotate(n=Count("pk"))
        )
        return (
            {row["assigned_to_id"]: {k: row[k] for k in ("due", "overdue", "urgent")} for row in tasks},
            {row["family__allocated_hv_id"]: row["n"] for row in children},
        )

    if fresh:
        (task_counts, child_counts), counted_at = count(), timezone.now()
    else:
        key = f"team-view:{sorted(team_ids)}:{ids}"
        (task_counts, child_counts), counted_at = recent(key, count)
    empty = {"due": 0, "overdue": 0, "urgent": 0}
    members = [
        TeamMember(
            user=user,
            due=task_counts.get(user.pk, empty)["due"],
            overdue=task_counts.get(user.pk, empty)["overdue"],
            urgent=task_counts.get(user.pk, empty)["urgent"],
            children=child_counts.get(user.pk, 0),
        )
        for user in users
    ]
    return TeamView(members, counted_at)


def team_member(scope: Scope, pk: int) -> User | None:
    """A clinical member of the lead's teams, or None."""
    return (
        User.objects.filter(pk=pk, teams__id__in=scope.team_ids, role__in=CLINICAL_ROLES, is_active=True)
        .distinct()
        .first()
    )


def member_overdue_tasks(scope: Scope, member: User) -> QuerySet[Task, dict[str, Any]]:
    """One practitioner's overdue tasks in the lead's teams, oldest first: what the page shows, as values."""
    return (
        scope.tasks.filter(assigned_to=member, family__team_id__in=scope.team_ids, status=TaskStatus.OVERDUE)
        .order_by("-urgent", "due_by", "pk")
        .values("title", "urgent", "due_by", "family_id", "family__reference")
    )


@dataclass(frozen=True)
class OverdueRow:
    """One line of a practitioner's overdue work, as the team lead sees it."""

    family_id: int
    family_name: str
    family_reference: str
    title: str
    urgent: bool
    due_by: dt.date
    days_overdue: int


def adult_names(scope: Scope, family_ids: list[int]) -> dict[int, list[str]]:
    """The adults' names of each family, in the worklist's order, in one query of two names each."""
    adults: dict[int, list[str]] = {}
    for family_id, given, family in (
        scope.people.filter(family_id__in=family_ids, role__in=ADULT_ROLES)
        .order_by("role", "date_of_birth", "pk")
        .values_list("family_id", "given_name", "family_name")
    ):
        adults.setdefault(family_id, []).append(full_name(given, family))
    return adults


def overdue_rows(scope: Scope, values: list[dict[str, Any]], *, today: dt.date) -> list[OverdueRow]:
    names = adult_names(scope, sorted({v["family_id"] for v in values}))
    return [
        OverdueRow(
            family_id=v["family_id"],
            family_name=family_label(names.get(v["family_id"], []), v["family__reference"]),
            family_reference=v["family__reference"],
            title=v["title"],
            urgent=v["urgent"],
            due_by=v["due_by"],
            days_overdue=max((today - v["due_by"]).days, 0),
        )
        for v in values
    ]


def team_open_tasks(scope: Scope) -> QuerySet[Task]:
    return scope.tasks.filter(family__team_id__in=scope.team_ids)


# ---- the family record ----------------------------------------------------------------------------


def _contact_entries(family: Family) -> list[timeline.Entry]:
    contacts = family.contacts.select_related("practitioner").order_by("-date", "-pk")
    return [
        timeline.Entry(
            c.date,
            "Contact",
            f"{c.get_contact_type_display()}: {c.get_attendance_display().lower()}",
            detail=f"{c.get_mode_display()}, {c.get_location_display().lower()}, by {c.practitioner.display_name}",
            url=reverse("contact-detail", args=[c.pk]),
        )
        for c in contacts
    ]


def _task_entries(family: Family) -> list[timeline.Entry]:
    entries = []
    for task in family.tasks.order_by("-created_at", "-pk"):
        entries.append(
            timeline.Entry(
                timezone.localdate(task.created_at),
                "Task",
                f"Task created: {task.title}",
                detail=f"Due {task.due_from:%d %b %Y} to {task.due_by:%d %b %Y}",
                urgent=task.urgent and task.is_open,
            )
        )
        if task.is_closed:
            entries.append(
                timeline.Entry(
                    timezone.localdate(task.status_changed_at),
                    "Task",
                    f"Task {task.status}: {task.title}",
                    detail=task.cancel_reason,
                )
            )
    return entries


def family_entries(family: Family) -> list[timeline.Entry]:
    """Contacts and tasks of the family, task states kept current on read: a fixed number of queries."""
    services.refresh_statuses(tasks=family.tasks.all())
    return _contact_entries(family) + _task_entries(family)


def family_section(request: object, family: Family) -> list[timeline.Section]:
    """Open tasks of the family (kept current by family_entries) and the link to record a contact."""
    tasks = list(family.tasks.filter(status__in=OPEN_VALUES).select_related("person").order_by("-urgent", "due_by"))
    return [
        timeline.Section(
            "contacts/family_section.jinja",
            {
                "tasks": tasks,
                "flags": flags_by_task(scope_for(request), tasks),  # type: ignore[arg-type]
                "bookable_kinds": set(ContactType.values),
                "booked": booked_tasks(scope_for(request), [t.pk for t in tasks]),  # type: ignore[arg-type]
                "add_url": reverse("contact-add", args=[family.pk]),
            },
            place="main",
        )
    ]


def screening_prompt(contact: Contact, present: list[Person], screens: list[Any]) -> list[dict[str, Any]]:
    """Each parent present at a contact where screening is offered (pathway.screening_offered), with
    the questionnaires already recorded for them at it; empty at any other contact."""
    if not pathway.screening_offered(contact.contact_type):
        return []
    return [
        {"person": p, "screens": [s for s in screens if s.person_id == p.pk]} for p in present if p.role in ADULT_ROLES
    ]


def contact_detail(scope: Scope, contact: Contact) -> dict[str, Any]:
    """Everything recorded at a contact (its read-back page): a fixed number of queries."""
    observations = scope.observations.filter(contact=contact)
    present = list(contact.present.order_by("role", "pk"))
    screens = list(contact.screens.select_related("person").order_by("pk"))
    return {
        "contact": contact,
        "family": contact.family,
        "present": present,
        "covers": list(contact.covers.order_by("date_of_birth", "pk")),
        "outcomes": contact_messages(scope, contact),
        "screens": screens,
        "observations": list(observations.select_related("parent", "infant").order_by("pk")),
        "prompt": screening_prompt(contact, present, screens),
        "tool": pathway.CONTACT_SCREENING_TOOL,
    }
