"""Demo step: Whooley and GAD-2 screens of mothers and fathers at past postnatal contacts.

Prevalence (domain reference section 8, assumptions where unstated): Whooley positive about 17% of
mothers and 8% of fathers; GAD-2 >= 3 about 13% of mothers and 7% of fathers. About a third of the
positive screens are left without a decision (pending suggestions), so the demo shows positives
without follow-up. A few PHQ-9s with item 9 above 0 have open urgent flags with same-day urgent
tasks. Everything is written directly (no audit events), like the other demo steps.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pimh.contacts.models import Attendance, Contact, Task, TaskEvent, TaskKind
from pimh.contacts.task_states import TaskEventName, status_on
from pimh.families.models import Family, PersonRole
from pimh.screening import instruments, pathway, services
from pimh.screening.models import FlagReason, Screen, Suggestion, UrgentFlag

BATCH_SIZE = 2000
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


def load(context) -> dict[str, int]:  # context: pimh.demo.loader.DemoContext
    rng = context.rng
    tz = timezone.get_current_timezone()
    contacts = list(
        Contact.objects.filter(contact_type__in=SCREENED_CONTACTS, attendance=Attendance.ATTENDED)
        .select_related("family")
        .prefetch_related("present")
        .order_by("pk")
    )
    screens: list[Screen] = []
    for contact in contacts:
        when = dt.datetime.combine(contact.date, contact.time or dt.time(10, 0), tzinfo=tz)
        for person in contact.present.all():
            if person.role not in WHOOLEY_POSITIVE:
                continue
            for code, rates in (("whooley", WHOOLEY_POSITIVE), ("gad2", GAD2_POSITIVE)):
                spec = instruments.get(code)
                answers = _answers(code, bool(rng.random() < rates[person.role]), rng)
                result = instruments.score(spec, answers, role=person.role)
                screens.append(
                    Screen(
                        family_id=contact.family_id,
                        person=person,
                        contact=contact,
                        instrument=code,
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
                        recorded_by_id=contact.practitioner_id,
                        recorded_at=when,
                    )
                )
    Screen.objects.bulk_create(screens, batch_size=BATCH_SIZE)
    suggestions = []
    for screen in screens:
        if not screen.positive:
            continue
        result = instruments.score(instruments.get(screen.instrument), screen.answers, role=screen.person.role)
        for rule in pathway.suggestions_for(result):
            pending = rng.random() < LEFT_PENDING
            suggestions.append(
                Suggestion(
                    screen=screen,
                    rule_id=rule.rule_id,
                    rule_version=rule.rule_version,
                    kind=rule.kind,
                    text=rule.text,
                    due_within_days=rule.due_within_days,
                    decision="pending" if pending else "overridden",
                    override_reason="" if pending else "Assessed at the contact; already supported by the GP",
                    decided_by_id=None if pending else screen.recorded_by_id,
                    decided_at=None if pending else screen.recorded_at,
                )
            )
    Suggestion.objects.bulk_create(suggestions, batch_size=BATCH_SIZE)

    flags = _risk_flags(context, [s for s in screens if s.positive])
    return {
        "screens": len(screens) + flags,
        "positive screens": sum(1 for s in screens if s.positive),
        "urgent flags": flags,
        # The running total of tasks (the contacts step counted its own; these add urgent tasks).
        "tasks": Task.objects.count(),
    }


def _risk_flags(context, positives: list[Screen]) -> int:  # type: ignore[no-untyped-def]
    """A few recent PHQ-9s with item 9 above 0: open urgent flags with same-day urgent tasks."""
    rng = context.rng
    recent = [s for s in positives if s.recorded_at.date() >= context.today - dt.timedelta(days=60)]
    chosen = recent[:RISK_FLAGS]
    families = {f.pk: f for f in Family.objects.filter(pk__in=[s.family_id for s in chosen])}
    spec = instruments.get("phq9")
    made = 0
    for screen in chosen:
        family = families[screen.family_id]
        answers = [int(x) for x in rng.integers(1, 3, size=8)] + [1]
        result = instruments.score(spec, answers, role=screen.person.role)
        phq9 = Screen.objects.create(
            family=family,
            person=screen.person,
            contact=screen.contact,
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
            person=screen.person,
            screen=phq9,
            reason=FlagReason.RISK_ITEM,
            raised_by_id=screen.recorded_by_id,
        )
        today = context.today
        task = Task.objects.create(
            family=family,
            person=screen.person,
            kind=TaskKind.URGENT_ACTION,
            title=f"{services.URGENT_TITLES[False]}: {FlagReason.RISK_ITEM.label} ({screen.person.given_name})",
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
