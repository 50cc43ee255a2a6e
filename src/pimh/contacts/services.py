"""Every change to contacts and tasks goes through these functions (``by=`` is the actor)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from pimh.contacts import asq3, counting, schedule
from pimh.contacts.models import (
    Attendance,
    Contact,
    ContactType,
    FeedingStatus,
    Location,
    Mode,
    Task,
    TaskEvent,
    TaskKind,
)
from pimh.contacts.task_states import OPEN, IllegalTransition, TaskEventName, TaskStatus, next_status, status_on
from pimh.core import audit, bounds, versioning
from pimh.core.models import AuditAction, User
from pimh.families.models import Family, Person, PersonRole, Pregnancy, PregnancyOutcome

RULES = schedule.DEFAULT_RULES
_CSDS = {rule.contact: rule.csds_code or "" for rule in RULES.rules}
_OPEN_VALUES = [s.value for s in OPEN]
OTHERS_PRESENT_MAX = Contact._meta.get_field("others_present").max_length or 200


# ---- scheduled tasks ---------------------------------------------------------------------------


def _window_task(
    window: schedule.Window,
    *,
    family_id: int,
    person_id: int | None,
    pregnancy_id: int | None,
    assigned_to_id: int | None,
    today: dt.date,
) -> Task:
    status = status_on(
        due_from=window.window_start, due_by=window.window_end, expires_on=window.expires_on, today=today
    )
    return Task(
        family_id=family_id,
        person_id=person_id,
        pregnancy_id=pregnancy_id,
        kind=window.contact,
        title=window.label,
        due_from=window.window_start,
        due_by=window.window_end,
        expires_on=window.expires_on,
        assigned_to_id=assigned_to_id,
        status=status,
        rule_version=RULES.version,
        source="schedule",
    )


def scheduled_tasks_for(families: QuerySet[Family], *, today: dt.date) -> list[Task]:
    """Unsaved tasks for every window not yet expired and not yet tasked, for these families.

    A pregnancy that ended in a loss gets none: every routine prompt stops (hazard H-006); nor does a
    child who has died, moved out or been transferred (H-031, H-033).
    """
    family_ids = list(families.filter(closed_on__isnull=True).values_list("pk", flat=True))  # closed: no prompts
    holders = dict(Family.objects.filter(pk__in=family_ids).values_list("pk", "allocated_hv_id"))
    have = set(
        Task.objects.filter(family_id__in=family_ids, source="schedule").values_list(
            "person_id", "pregnancy_id", "kind"
        )
    )
    tasks: list[Task] = []
    by_birth: dict[dt.date, list[schedule.Window]] = {}  # many children share a date of birth
    for pk, family_id, edd in Pregnancy.objects.filter(
        family_id__in=family_ids, outcome=PregnancyOutcome.ONGOING
    ).values_list("pk", "family_id", "edd"):
        for window in schedule.windows(edd=edd, rules=RULES):
            if window.expires_on >= today and (None, pk, window.contact) not in have:
                tasks.append(
                    _window_task(
                        window,
                        family_id=family_id,
                        person_id=None,
                        pregnancy_id=pk,
                        assigned_to_id=holders[family_id],
                        today=today,
                    )
                )
    for pk, family_id, dob in Person.objects.filter(
        family_id__in=family_ids,
        role=PersonRole.INFANT,
        date_of_birth__isnull=False,
        date_of_death__isnull=True,  # H-031: no prompt for a child who has died
        responsible_until__isnull=True,  # H-033: nor for one who moved out or was transferred
    ).values_list("pk", "family_id", "date_of_birth"):
        if dob not in by_birth:
            by_birth[dob] = schedule.windows(dob=dob, rules=RULES)
        for window in by_birth[dob]:
            if window.expires_on >= today and (pk, None, window.contact) not in have:
                tasks.append(
                    _window_task(
                        window,
                        family_id=family_id,
                        person_id=pk,
                        pregnancy_id=None,
                        assigned_to_id=holders[family_id],
                        today=today,
                    )
                )
    return tasks


@transaction.atomic
def schedule_tasks(*, by: User | None, families: QuerySet[Family], today: dt.date | None = None) -> int:
    """Create the missing scheduled contact tasks for these families. Returns how many."""
    today = today or timezone.localdate()
    tasks = Task.objects.bulk_create(scheduled_tasks_for(families, today=today), batch_size=2000)
    TaskEvent.objects.bulk_create(
        [TaskEvent(task=t, event=TaskEventName.CREATED, to_status=t.status, by=by) for t in tasks], batch_size=2000
    )
    return len(tasks)


def due_to_change(today: dt.date) -> list[tuple[TaskStatus, Q]]:
    """Which open tasks the calendar moves today, as (new state, condition) pairs.

    Each condition names explicit states and one date range, so that it is an index range scan on
    ``(status, due_from)``, ``(status, due_by)`` or ``(status, expires_on)`` (optionally after
    ``assigned_to``): it reads only the tasks whose state is due to change, never every open task.
    Applied in order, they give every open task the state ``status_on`` gives it.
    """
    up, due, over = TaskStatus.UPCOMING, TaskStatus.DUE, TaskStatus.OVERDUE
    not_expired = Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    return [
        (TaskStatus.EXPIRED, Q(status__in=[up, due, over], expires_on__lt=today, due_by__lt=today)),
        (over, Q(not_expired, status__in=[up, due], due_by__lt=today)),
        # Applied in this order: upcoming tasks already past due_by were moved by the two conditions above,
        # so this one needs no second range (which could lead a planner to scan every upcoming task).
        (due, Q(status=up, due_from__lte=today)),
        (due, Q(status=over, due_by__gte=today, due_from__lte=today)),
        (up, Q(status__in=[due, over], due_from__gt=today)),
    ]


@transaction.atomic
def refresh_statuses(*, tasks: QuerySet[Task] | None = None, today: dt.date | None = None) -> int:
    """Move open tasks along the calendar (upcoming -> due -> overdue -> expired), with history.

    A fixed number of queries, whatever the number of tasks. Returns how many changed.
    """
    today = today or timezone.localdate()
    scoped = tasks if tasks is not None else Task.objects.all()
    moves = [(target, scoped.filter(condition)) for target, condition in due_to_change(today)]
    now = timezone.now()
    changed = 0
    for target, queryset in moves:
        # Locked, so a task completed meanwhile is not moved back to an open state.
        rows = list(queryset.select_for_update(of=("self",)).order_by("pk").values_list("pk", "status"))
        if not rows:
            continue
        Task.objects.filter(pk__in=[pk for pk, _ in rows]).update(status=target, status_changed_at=now)
        TaskEvent.objects.bulk_create(
            [
                TaskEvent(task_id=pk, at=now, event=TaskEventName.REFRESH, from_status=old, to_status=target)
                for pk, old in rows
            ],
            batch_size=2000,
        )
        changed += len(rows)
    return changed


def _transition(
    task: Task, event: TaskEventName, *, by: User | None, today: dt.date, note: str = "", contact: Contact | None = None
) -> None:
    old = TaskStatus(task.status)
    try:
        new = next_status(
            old, event, today=today, due_from=task.due_from, due_by=task.due_by, expires_on=task.expires_on
        )
    except IllegalTransition as error:
        raise ValidationError({"task": str(error)}) from None
    if new != old:
        task.status = new
        task.status_changed_at = timezone.now()
        task.save(update_fields=["status", "status_changed_at", "completed_by", "cancel_reason", "assigned_to"])
    TaskEvent.objects.create(
        task=task, event=event, from_status=old, to_status=new, by=by, note=note[:200], contact=contact
    )


def _lock_open(task: Task) -> Task:
    """Lock the task's row and bring ``task`` up to date; refuse if it closed meanwhile (another user)."""
    current = versioning.lock(task)
    task.status, task.status_changed_at, task.completed_by_id = (
        current.status,
        current.status_changed_at,
        current.completed_by_id,
    )
    if not task.is_open:
        last = task.events.select_related("by").order_by("-at", "-id").first()
        who, when = (last.by, last.at) if last is not None else (None, None)
        raise ValidationError(
            {
                "task": f"This task is already {task.get_status_display().lower()}. "
                + versioning.changed_message(who, when)
            }
        )
    return task


FLAG_TASK_MESSAGE = "This urgent task closes only when the action taken is recorded on its flag"


def flag_is_open(task: Task) -> bool:
    """Whether this is an urgent flag's task and the flag is still open (H-025).

    Looked up through the app registry: screening builds on contacts, not the other way round.
    """
    if task.kind != TaskKind.URGENT_ACTION:
        return False
    flags = apps.get_model("screening", "UrgentFlag")
    return bool(flags.objects.filter(task_id=task.pk, status="open").exists())


@transaction.atomic
def cancel_task(*, by: User | None, task: Task, reason: str, today: dt.date | None = None) -> Task:
    if not counting.may_cancel(task_kind=task.kind, flag_open=flag_is_open(task)):
        raise ValidationError({"task": FLAG_TASK_MESSAGE})
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for cancelling the task"})
    _lock_open(task)
    task.cancel_reason = reason.strip()[:200]
    _transition(task, TaskEventName.CANCEL, by=by, today=today or timezone.localdate(), note=reason)
    audit.record(by=by, action=AuditAction.UPDATE, obj=task, family_id=task.family_id, detail={"status": task.status})
    return task


@transaction.atomic
def create_task(
    *,
    by: User | None,
    family: Family,
    kind: str,
    title: str,
    due_from: dt.date,
    due_by: dt.date,
    person: Person | None = None,
    urgent: bool = False,
    source: str = "",
    assigned_to: User | None = None,
    today: dt.date | None = None,
) -> Task:
    """A task raised by a rule or a person (follow-ups, urgent actions, chasing)."""
    if due_by < due_from:
        raise ValidationError({"due_by": "The end of the task's window must not be before its start"})
    today = today or timezone.localdate()
    task = Task.objects.create(
        family=family,
        person=person,
        kind=kind,
        title=title,
        urgent=urgent,
        due_from=due_from,
        due_by=due_by,
        assigned_to=assigned_to or family.allocated_hv,
        source=source,
        status=status_on(due_from=due_from, due_by=due_by, expires_on=None, today=today),
    )
    TaskEvent.objects.create(task=task, event=TaskEventName.CREATED, to_status=task.status, by=by)
    audit.record(by=by, action=AuditAction.CREATE, obj=task, family_id=family.pk, detail={"kind": kind})
    return task


@transaction.atomic
def complete_task(
    *, by: User | None, task: Task, contact: Contact | None = None, note: str = "", today: dt.date | None = None
) -> Task:
    """Complete a task. An urgent flag's task only once its flag is closed (``close_flag`` does it)."""
    if flag_is_open(task):
        raise ValidationError({"task": FLAG_TASK_MESSAGE})
    _lock_open(task)
    task.completed_by = contact
    _transition(task, TaskEventName.COMPLETE, by=by, today=today or timezone.localdate(), note=note, contact=contact)
    audit.record(by=by, action=AuditAction.UPDATE, obj=task, family_id=task.family_id, detail={"status": task.status})
    return task


@transaction.atomic
def reassign_open_tasks(*, by: User | None, family: Family, to: User) -> int:
    """Reallocation moves a family's open tasks to the new caseload holder."""
    moved = list(family.tasks.filter(status__in=_OPEN_VALUES).exclude(assigned_to=to).values_list("pk", "status"))
    Task.objects.filter(pk__in=[pk for pk, _ in moved]).update(assigned_to=to)
    TaskEvent.objects.bulk_create(
        [
            TaskEvent(
                task_id=pk,
                event=TaskEventName.REASSIGN,
                from_status=status,
                to_status=status,
                by=by,
                note=f"to user {to.pk}",
            )
            for pk, status in moved
        ]
    )
    return len(moved)


@transaction.atomic
def stop_pregnancy_prompts(*, by: User | None, pregnancy: Pregnancy, reason: str) -> int:
    """Cancel every open task of a pregnancy (after a loss): no routine prompts (H-006)."""
    tasks = list(pregnancy.tasks.select_for_update().filter(status__in=_OPEN_VALUES).order_by("pk"))
    for task in tasks:
        task.cancel_reason = reason
        _transition(task, TaskEventName.CANCEL, by=by, today=timezone.localdate(), note=reason)
    return len(tasks)


# ---- life events: tasks closed or moved (families/life_events.py) -------------------------------


@transaction.atomic
def close_family_tasks(*, by: User | None, family: Family, reason: str, today: dt.date | None = None) -> int:
    """Cancel every open task of a family being discharged or closed, the reason in task and history."""
    today = today or timezone.localdate()
    tasks = list(Task.objects.select_for_update().filter(family=family, status__in=_OPEN_VALUES).order_by("pk"))
    for task in tasks:
        task.cancel_reason = reason[:200]
        _transition(task, TaskEventName.CANCEL, by=by, today=today, note=reason)
    return len(tasks)


@transaction.atomic
def close_person_tasks(*, by: User | None, person: Person, reason: str, today: dt.date | None = None) -> int:
    """Cancel every open task of a person (death, move out, transfer), the reason in task and history."""
    today = today or timezone.localdate()
    tasks = list(Task.objects.select_for_update().filter(person=person, status__in=_OPEN_VALUES).order_by("pk"))
    for task in tasks:
        task.cancel_reason = reason[:200]
        _transition(task, TaskEventName.CANCEL, by=by, today=today, note=reason)
    return len(tasks)


@transaction.atomic
def move_windows(
    *,
    by: User | None,
    tasks: QuerySet[Task],
    found: list[schedule.Window],
    note: str,
    not_applicable: str,
    today: dt.date | None = None,
) -> int:
    """Give open scheduled tasks the windows in ``found`` (after a date correction or a birth).

    A task whose window moved gets its new dates and state with a ``reschedule`` event naming the old
    window; a task whose contact has no window any more is cancelled with ``not_applicable``. Closed
    tasks keep their dates (H-030). Returns how many tasks changed.
    """
    today = today or timezone.localdate()
    by_kind = {window.contact: window for window in found}
    changed = 0
    for task in tasks.select_for_update().filter(source="schedule", status__in=_OPEN_VALUES).order_by("pk"):
        window = by_kind.get(task.kind)
        if window is None:
            task.cancel_reason = not_applicable[:200]
            _transition(task, TaskEventName.CANCEL, by=by, today=today, note=not_applicable)
            changed += 1
            continue
        if (task.due_from, task.due_by, task.expires_on) == (window.window_start, window.window_end, window.expires_on):
            continue
        old_window = f"was {task.due_from.isoformat()} to {task.due_by.isoformat()}"
        task.due_from, task.due_by, task.expires_on = window.window_start, window.window_end, window.expires_on
        task.save(update_fields=["due_from", "due_by", "expires_on"])
        _transition(task, TaskEventName.RESCHEDULE, by=by, today=today, note=f"{note}; {old_window}")
        changed += 1
    return changed


@transaction.atomic
def restore_child_windows(*, by: User | None, person: Person, source: str, today: dt.date | None = None) -> int:
    """Open a task for each of the child's windows not yet expired with no open or completed task.

    For a child who moves back in: the tasks closed at the move out are prompted again (H-033).
    """
    today = today or timezone.localdate()
    if person.date_of_birth is None or person.prompts_stopped:
        return 0
    covered = set(
        Task.objects.filter(person=person, status__in=[*_OPEN_VALUES, TaskStatus.COMPLETED]).values_list(
            "kind", flat=True
        )
    )
    holder = Family.objects.filter(pk=person.family_id).values_list("allocated_hv_id", flat=True).get()
    tasks = []
    for window in schedule.windows(dob=person.date_of_birth, rules=RULES):
        if window.expires_on >= today and window.contact not in covered:
            task = _window_task(
                window,
                family_id=person.family_id,
                person_id=person.pk,
                pregnancy_id=None,
                assigned_to_id=holder,
                today=today,
            )
            task.source = source
            tasks.append(task)
    Task.objects.bulk_create(tasks)
    TaskEvent.objects.bulk_create(
        [TaskEvent(task=t, event=TaskEventName.CREATED, to_status=t.status, by=by, note=source) for t in tasks]
    )
    return len(tasks)


def reschedule_child(*, by: User | None, person: Person, note: str, today: dt.date | None = None) -> int:
    """Move a child's open scheduled tasks to the windows of its (corrected) date of birth."""
    if person.date_of_birth is None:
        return 0
    return move_windows(
        by=by,
        tasks=Task.objects.filter(person=person),
        found=schedule.windows(dob=person.date_of_birth, rules=RULES),
        note=note,
        not_applicable=f"Not applicable: {note.lower()}",
        today=today,
    )


def reschedule_pregnancy(
    *, by: User | None, pregnancy: Pregnancy, note: str, not_applicable: str, today: dt.date | None = None
) -> int:
    """Move a pregnancy's open scheduled tasks to the windows of its EDD (and birth date, once born).

    A birth before the antenatal window opened (before 28 weeks) leaves no antenatal window: the task
    is cancelled as not applicable, never left to expire (H-009).
    """
    born = pregnancy.outcome_date if pregnancy.outcome == PregnancyOutcome.LIVE_BIRTH else None
    return move_windows(
        by=by,
        tasks=Task.objects.filter(pregnancy=pregnancy),
        found=schedule.windows(edd=pregnancy.edd, dob=born, rules=RULES),
        note=note,
        not_applicable=not_applicable,
        today=today,
    )


# ---- contacts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactData:
    contact_type: str
    date: dt.date
    time: dt.time | None = None
    mode: str = Mode.FACE_TO_FACE
    location: str = Location.HOME
    attendance: str = Attendance.ATTENDED
    subject_id: int | None = None
    present_ids: tuple[int, ...] = ()
    covers_ids: tuple[int, ...] = ()  # for a whole-family review: the children it covers
    others_present: str = ""
    notes: str = ""
    feeding_status: str = ""  # CSDS 01/02/03 at a new birth visit or 6-8 week review; "" = not recorded
    asq3_used: bool = False
    asq3_interval_months: int | None = None
    asq3_scores: tuple[tuple[str, int], ...] = ()  # (domain, score) for each domain scored


def _check_measures(data: ContactData, errors: dict[str, str]) -> None:
    """Infant feeding and ASQ-3 (rules: ``asq3``): only at their reviews, only when attended, valid scores."""
    attended = data.attendance == Attendance.ATTENDED
    if data.feeding_status:
        if data.feeding_status not in FeedingStatus.values:
            errors["feeding_status"] = "Choose totally, partially or not breastfed"
        elif data.contact_type not in asq3.FEEDING_CONTACT_TYPES:
            errors["feeding_status"] = "Infant feeding is recorded only at the new birth visit and 6 to 8 week review"
        elif not attended:
            errors["feeding_status"] = "Infant feeding is recorded only at an attended contact"
    if not data.asq3_used:
        if data.asq3_interval_months is not None or data.asq3_scores:
            errors["asq3_used"] = "Tick 'ASQ-3 used' to record the questionnaire interval and scores"
        return
    if data.contact_type not in asq3.ASQ3_CONTACT_TYPES:
        errors["asq3_used"] = "ASQ-3 is recorded only at the 12-month and 2 to 2½ year reviews"
        return
    if not attended:
        errors["asq3_used"] = "ASQ-3 is recorded only at an attended contact"
        return
    if problem := asq3.interval_problem(data.contact_type, data.asq3_interval_months):
        errors["asq3_interval_months"] = problem
    for domain, score in data.asq3_scores:
        if domain not in asq3.DOMAINS:
            errors["asq3_used"] = f"Unknown ASQ-3 domain {domain!r}"
        elif problem := asq3.score_problem(score):
            errors[f"asq3_{domain}"] = problem


def check_contact(family: Family, data: ContactData, *, today: dt.date) -> None:
    errors: dict[str, str] = {}
    if data.contact_type not in ContactType.values:
        errors["contact_type"] = "Choose the type of contact"
    if data.date > today:
        errors["date"] = "The date of the contact must be today or in the past"
    elif problem := bounds.CONTACT_DATE.problem(data.date, today=today):
        errors["date"] = problem
    if problem := bounds.text_problem(data.notes, limit=bounds.NOTES_MAX, what="notes"):
        errors["notes"] = problem
    if problem := bounds.text_problem(data.others_present, limit=OTHERS_PRESENT_MAX, what="others present"):
        errors["others_present"] = problem
    if data.mode not in Mode.values:
        errors["mode"] = "Choose how the contact happened"
    if data.location not in Location.values:
        errors["location"] = "Choose where the contact happened"
    if data.attendance not in Attendance.values:
        errors["attendance"] = "Choose whether the family attended"
    roles = dict(family.people.values_list("pk", "role"))
    people = set(roles)
    infants = {pk for pk, role in roles.items() if role == PersonRole.INFANT}
    label = ContactType(data.contact_type).label.lower() if data.contact_type in ContactType.values else ""
    per_child = data.contact_type in counting.PER_CHILD
    if data.subject_id is not None and data.subject_id not in people:
        errors["subject_id"] = "Choose a person in this family"
    elif per_child and data.subject_id is not None and data.subject_id not in infants:
        errors["subject_id"] = f"A {label} is about a child: choose the child, or the whole family"
    others = set(data.covers_ids) - {data.subject_id}
    if not set(data.covers_ids) <= infants:
        errors["covers_ids"] = "Choose children in this family"
    elif per_child and data.subject_id is None and not data.covers_ids:
        errors["covers_ids"] = f"Choose which children the {label} covers"
    elif data.subject_id in people and others:
        # Never silently drop a ticked child: a contact about one person covers no one else.
        errors["covers_ids"] = (
            "The contact is about one person: choose the whole family to cover more than one child, "
            "or untick the other children"
        )
    _check_measures(data, errors)
    if not set(data.present_ids) <= people:
        errors["present_ids"] = "Choose people in this family"
    if data.attendance == Attendance.ATTENDED and not data.present_ids and not data.others_present.strip():
        errors["present_ids"] = "Record who was present"
    if errors:
        raise ValidationError(errors)


def _check_task(task: Task, family: Family, data: ContactData) -> None:
    """A contact recorded from a task must be about that task's child (H-020): else refused."""
    if task.family_id != family.pk or not task.is_open:
        raise ValidationError({"task": "This task is not open for this family"})
    if task.person_id is not None:
        name = task.person.full_name if task.person else "another person"
        if data.subject_id is not None and data.subject_id != task.person_id:
            raise ValidationError(
                {
                    "subject_id": f"This task is for {name}: record a contact about someone else "
                    "from their own task or from the family record"
                }
            )
        if (
            data.subject_id is None
            and data.contact_type in counting.PER_CHILD
            and task.person_id not in data.covers_ids
        ):
            raise ValidationError({"covers_ids": f"This task is for {name}: include {name} in the children covered"})
    elif task.pregnancy is not None and data.subject_id not in (None, task.pregnancy.mother_id):
        raise ValidationError({"subject_id": "This task is for a pregnancy: choose the mother, or the whole family"})


def _children(data: ContactData) -> list[int]:
    """The children a per-child review covers: its subject, or the ones chosen for the whole family."""
    if data.contact_type not in counting.PER_CHILD:
        return list(data.covers_ids)
    return [data.subject_id] if data.subject_id is not None else list(data.covers_ids)


def _target_tasks(family: Family, data: ContactData, task: Task | None) -> list[Task]:
    """The task recorded from, and each covered child's open task of the contact's type."""
    targets = [task] if task is not None else []
    if data.contact_type in counting.PER_CHILD:
        found = family.tasks.filter(
            status__in=_OPEN_VALUES, kind=data.contact_type, person_id__in=_children(data)
        ).order_by("due_by", "pk")
        children = {t.person_id for t in targets if t.kind == data.contact_type}
        for candidate in found:
            if candidate.person_id not in children:
                children.add(candidate.person_id)
                targets.append(candidate)
    elif data.contact_type == ContactType.ANTENATAL and all(t.kind != data.contact_type for t in targets):
        match = family.tasks.filter(status__in=_OPEN_VALUES, kind=data.contact_type).order_by("due_by").first()
        targets += [match] if match else []
    return targets


def _apply(contact: Contact, task: Task, data: ContactData, *, by: User, today: dt.date) -> None:
    """Complete the task, or record an attempt with the reason it stays open (counting.task_outcome)."""
    outcome = counting.task_outcome(
        task_kind=task.kind,
        task_label=TaskKind(task.kind).label if task.kind in TaskKind.values else task.title,
        contact_type=data.contact_type,
        mode=data.mode,
        attendance=data.attendance,
        attendance_label=Attendance(data.attendance).label,
        flag_open=flag_is_open(task),
    )
    if outcome.completes:
        late = (data.date - task.due_by).days
        note = f"Completed {late} days after the window" if late > 0 else ""
        complete_task(by=by, task=task, contact=contact, today=today, note=note)
    else:
        _transition(task, TaskEventName.ATTEMPT, by=by, today=today, contact=contact, note=outcome.note)


@transaction.atomic
def record_contact(
    *, by: User, family: Family, data: ContactData, task: Task | None = None, today: dt.date | None = None
) -> Contact:
    """Record an encounter and apply it to the tasks it is about (rules: ``counting``).

    A contact recorded from a task must be about that task's child. A review of the whole family
    covers the children chosen, and applies to each one's open task of the contact's type (twins:
    both). A task is completed only by a contact that counts for it (``counting.task_outcome``);
    otherwise the contact is recorded against it as an attempt, with the reason.
    """
    today = today or timezone.localdate()
    if task is not None:
        _check_task(task, family, data)
    check_contact(family, data, today=today)
    targets = _target_tasks(family, data, task)
    pregnancies = [t.pregnancy_id for t in targets if t.pregnancy_id is not None]
    for target in targets:
        _lock_open(target)  # two people recording the same visit at once: the second is refused
    contact = Contact.objects.create(
        family=family,
        subject_id=data.subject_id,
        pregnancy_id=pregnancies[0] if pregnancies else None,
        contact_type=data.contact_type,
        csds_activity_code=_CSDS.get(data.contact_type, ""),
        date=data.date,
        time=data.time,
        practitioner=by,
        mode=data.mode,
        location=data.location,
        attendance=data.attendance,
        others_present=data.others_present.strip(),
        notes=data.notes,
        feeding_status=data.feeding_status,
        asq3_used=data.asq3_used,
        asq3_interval_months=data.asq3_interval_months if data.asq3_used else None,
        **{f"asq3_{domain}": score for domain, score in data.asq3_scores},
    )
    contact.present.set(data.present_ids)
    contact.covers.set(_children(data))
    audit.record(
        by=by,
        action=AuditAction.CREATE,
        obj=contact,
        family_id=family.pk,
        detail={"contact_type": data.contact_type, "attendance": data.attendance, "tasks": [t.pk for t in targets]},
    )
    for target in targets:
        _apply(contact, target, data, by=by, today=today)
    _close_bookings(contact, targets, by=by)
    return contact


def _close_bookings(contact: Contact, tasks: list[Task], *, by: User) -> None:
    """A task this contact completed has its open booking in the diary marked done with the contact (H-125).

    Looked up through the app registry: the diary builds on contacts, not the other way round.
    """
    completed = [t.pk for t in tasks if t.status == TaskStatus.COMPLETED]
    if not completed:
        return
    bookings = apps.get_model("diary", "Booking").objects.select_for_update()
    for booking in bookings.filter(task_id__in=completed, status="booked").order_by("pk"):
        booking.status, booking.contact = "done", contact
        booking.save(update_fields=["status", "contact"])
        audit.record(
            by=by,
            action=AuditAction.UPDATE,
            obj=booking,
            family_id=booking.family_id,
            detail={"status": booking.status, "contact": contact.pk},
        )


def open_tasks(tasks: Iterable[Task]) -> list[Task]:
    return [t for t in tasks if t.is_open]
