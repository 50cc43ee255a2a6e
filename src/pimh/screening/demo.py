"""Demo step: Whooley and GAD-2 screens of mothers and fathers at past postnatal contacts.

Prevalence (domain reference section 8, assumptions where unstated): Whooley positive about 17% of
mothers and 8% of fathers; GAD-2 >= 3 about 13% of mothers and 7% of fathers. About a third of the
positive screens are left without a decision (pending suggestions), so the demo shows positives
without follow-up. A few PHQ-9s with item 9 above 0 have open urgent flags with same-day urgent
tasks. Everything is written directly (no audit events), like the other demo steps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from pimh.contacts.models import Attendance, Contact, Task, TaskEvent, TaskKind
from pimh.contacts.task_states import TaskEventName, status_on
from pimh.demo.bulk import insert_rows
from pimh.families.models import Family, Person, PersonRole
from pimh.screening import instruments, pathway, services
from pimh.screening.models import FlagReason, Screen, Suggestion, UrgentFlag

SCREENED_CONTACTS = ("new_birth_visit", "six_to_eight_week", "twelve_month")
WHOOLEY_POSITIVE = {PersonRole.BIRTHING_PARENT: 0.17, PersonRole.FATHER: 0.08, PersonRole.PARTNER: 0.08}
GAD2_POSITIVE = {PersonRole.BIRTHING_PARENT: 0.13, PersonRole.FATHER: 0.07, PersonRole.PARTNER: 0.07}
LEFT_PENDING = 0.35
RISK_FLAGS = 6


def _answers(code: str, positive: bool, rng) -> list[int]:  # type: ignore[no-untyped-def]
    if code == "whooley":
        if not positive:
            return [0, 0]
        return [[1, 0], [0, 1], [1, 1]][int(rng.integers(3))]
    if positive:
        first = int(rng.integers(1, 4))
        return [first, int(rng.integers(max(3 - first, 0), 4))]
    first = int(rng.integers(0, 3))
    return [first, int(rng.integers(0, 3 - first))]


SCREEN_FIELDS = (
    "family_id",
    "person_id",
    "contact_id",
    "instrument",
    "instrument_version",
    "thresholds_version",
    "answers",
    "item_scores",
    "total",
    "total_at_least",
    "cutoff",
    "missing_items",
    "band",
    "positive",
    "risk_item_flag",
    "recorded_by_id",
    "recorded_at",
)
SUGGESTION_FIELDS = (
    "screen_id",
    "rule_id",
    "rule_version",
    "kind",
    "text",
    "due_within_days",
    "decision",
    "override_reason",
    "decided_by_id",
    "decided_at",
)


@dataclass(frozen=True)
class _Positive:
    """What the urgent-flag step needs of a positive screen (no model instance per screen)."""

    family_id: int
    person_id: int
    contact_id: int
    role: str
    instrument: str
    answers: tuple[int, ...]
    recorded_by_id: int
    recorded_at: dt.datetime


def load(context) -> dict[str, int]:  # context: pimh.demo.loader.DemoContext
    rng = context.rng
    tz = timezone.get_current_timezone()
    screened = Contact.objects.filter(contact_type__in=SCREENED_CONTACTS, attendance=Attendance.ATTENDED)
    present: dict[int, list[tuple[int, str]]] = {}
    for contact_id, person_id, role in (
        Contact.present.through.objects.filter(contact__in=screened, person__role__in=list(WHOOLEY_POSITIVE))
        .order_by("contact_id", "person_id")
        .values_list("contact_id", "person_id", "person__role")
    ):
        present.setdefault(contact_id, []).append((person_id, role))
    scored: dict[tuple[str, tuple[int, ...], str], instruments.Result] = {}

    def score(code: str, answers: tuple[int, ...], role: str) -> instruments.Result:
        key = (code, answers, role)
        if key not in scored:
            scored[key] = instruments.score(instruments.get(code), list(answers), role=role)
        return scored[key]

    rows: list[tuple] = []
    roles: list[str] = []
    positives: list[_Positive] = []
    for contact_id, family_id, day, time, practitioner_id in screened.order_by("pk").values_list(
        "pk", "family_id", "date", "time", "practitioner_id"
    ):
        when = dt.datetime.combine(day, time or dt.time(10, 0), tzinfo=tz)
        for person_id, role in present.get(contact_id, ()):
            for code, rates in (("whooley", WHOOLEY_POSITIVE), ("gad2", GAD2_POSITIVE)):
                spec = instruments.get(code)
                answers = tuple(_answers(code, bool(rng.random() < rates[role]), rng))
                result = score(code, answers, role)
                roles.append(role)
                rows.append(
                    (
                        family_id,
                        person_id,
                        contact_id,
                        code,
                        spec.version,
                        result.thresholds_version,
                        list(answers),
                        list(result.item_scores),
                        result.total,
                        result.total_at_least,
                        result.cutoff,
                        [],
                        result.band or "",
                        result.positive,
                        result.risk_item_flag,
                        practitioner_id,
                        when,
                    )
                )
                if result.positive:
                    positives.append(
                        _Positive(family_id, person_id, contact_id, role, code, answers, practitioner_id, when)
                    )
    keys = insert_rows(Screen, SCREEN_FIELDS, rows, len(rows), progress=context.progress)
    suggestions = []
    for key, row, role in zip(keys.tolist(), rows, roles, strict=True):
        if not row[13]:  # positive
            continue
        result = score(row[3], tuple(row[6]), role)
        for rule in pathway.suggestions_for(result):
            pending = rng.random() < LEFT_PENDING
            suggestions.append(
                (
                    key,
                    rule.rule_id,
                    rule.rule_version,
                    rule.kind,
                    rule.text,
                    rule.due_within_days,
                    "pending" if pending else "overridden",
                    "" if pending else "Assessed at the contact; already supported by the GP",
                    None if pending else row[15],
                    None if pending else row[16],
                )
            )
    insert_rows(Suggestion, SUGGESTION_FIELDS, suggestions, len(suggestions), progress=context.progress)

    flags = _risk_flags(context, positives)
    return {
        "screens": len(rows) + flags,
        "positive screens": len(positives),
        "urgent flags": flags,
        # The running total of tasks (the contacts step counted its own; these add urgent tasks).
        "tasks": Task.objects.count(),
    }


def _risk_flags(context, positives: list[_Positive]) -> int:  # type: ignore[no-untyped-def]
    """A few recent PHQ-9s with item 9 above 0: open urgent flags with same-day urgent tasks."""
    rng = context.rng
    recent = [s for s in positives if s.recorded_at.date() >= context.today - dt.timedelta(days=60)]
    chosen = recent[:RISK_FLAGS]
    families = {f.pk: f for f in Family.objects.filter(pk__in=[s.family_id for s in chosen])}
    people = {p.pk: p for p in Person.objects.filter(pk__in=[s.person_id for s in chosen])}
    spec = instruments.get("phq9")
    made = 0
    for screen in chosen:
        family = families[screen.family_id]
        person = people[screen.person_id]
        answers = [int(x) for x in rng.integers(1, 3, size=8)] + [1]
        result = instruments.score(spec, answers, role=person.role)
        phq9 = Screen.objects.create(
            family=family,
            person=person,
            contact_id=screen.contact_id,
            instrument=spec.code,
            instrument_version=spec.version,
            thresholds_version=result.thresholds_version,
            answers=answers,
            item_scores=list(result.item_scores),
            total=result.total,
            total_at_least=result.total_at_least,
            cutoff=result.cutoff,
            missing_items=[],
            band=result.band or "",
            positive=result.positive,
            risk_item_flag=result.risk_item_flag,
            recorded_by_id=screen.recorded_by_id,
            recorded_at=timezone.now(),
        )
        flag = UrgentFlag.objects.create(
            family=family,
            person=person,
            screen=phq9,
            reason=FlagReason.RISK_ITEM,
            raised_by_id=screen.recorded_by_id,
        )
        today = context.today
        task = Task.objects.create(
            family=family,
            person=person,
            kind=TaskKind.URGENT_ACTION,
            title=f"{services.URGENT_TITLES[False]}: {FlagReason.RISK_ITEM.label} ({person.given_name})",
            urgent=True,
            due_from=today,
            due_by=today,
            assigned_to=family.allocated_hv,
            source=f"flag:{flag.pk}",
            status=status_on(due_from=today, due_by=today, expires_on=None, today=today),
        )
        TaskEvent.objects.create(task=task, event=TaskEventName.CREATED, to_status=task.status)
        flag.task = task
        flag.save(update_fields=["task"])
        made += 1
    return made
