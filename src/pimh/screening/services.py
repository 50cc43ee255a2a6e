"""Every change to screens, suggestions, urgent flags and relationship observations (``by=`` is the actor).

Atomic and audited. Audit detail holds codes and numbers only (never answers' text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pimh.contacts import services as contact_services
from pimh.contacts.models import Contact, Task, TaskKind
from pimh.contacts.task_states import OPEN
from pimh.core import audit, bounds
from pimh.core.models import AuditAction, User
from pimh.families.models import Family, Person, PersonRole
from pimh.screening import instruments, pathway
from pimh.screening.models import (
    EMERGENCY_REASONS,
    Decision,
    FlagReason,
    FlagStatus,
    Judgement,
    Observation,
    RelationshipObservation,
    Screen,
    Suggestion,
    UrgentFlag,
)

PARENT_ROLES = frozenset({PersonRole.BIRTHING_PARENT, PersonRole.FATHER, PersonRole.PARTNER})
URGENT_TITLES = {
    True: "Emergency: specialist assessment within 4 hours",
    False: "Urgent: same-day action",
}


def _check_parent(family: Family, person: Person, field: str = "person") -> None:
    if person.family_id != family.pk:
        raise ValidationError({field: "This person is not in this family"})
    if person.role not in PARENT_ROLES:
        raise ValidationError({field: "Choose a parent: the mother, the father or a partner"})


def _check_text(value: str, limit: int, field: str, what: str) -> None:
    problem = bounds.text_problem(value, limit=limit, what=what)
    if problem:
        raise ValidationError({field: problem})


def _check_contact(family: Family, contact: Contact | None) -> None:
    if contact is not None and contact.family_id != family.pk:
        raise ValidationError({"contact": "This contact is not with this family"})


def _urgent_task(*, by: User, family: Family, person: Person, emergency: bool, reason: str, source: str) -> Task:
    today = timezone.localdate()
    label = FlagReason(reason).label
    return contact_services.create_task(
        by=by,
        family=family,
        kind=TaskKind.URGENT_ACTION,
        title=f"{URGENT_TITLES[emergency]}: {label} ({person.given_name})",
        due_from=today,
        due_by=today,
        person=person,
        urgent=True,
        source=source,
    )


def _raise(
    *, by: User, family: Family, person: Person, reason: str, emergency: bool, screen: Screen | None = None
) -> UrgentFlag:
    flag = UrgentFlag.objects.create(
        family=family, person=person, screen=screen, reason=reason, emergency=emergency, raised_by=by
    )
    flag.task = _urgent_task(
        by=by, family=family, person=person, emergency=emergency, reason=reason, source=f"flag:{flag.pk}"
    )
    flag.save(update_fields=["task"])
    audit.record(
        by=by,
        action=AuditAction.CREATE,
        obj=flag,
        family_id=family.pk,
        detail={"reason": reason, "emergency": emergency, "task": flag.task.pk},
    )
    return flag


def configured_thresholds() -> instruments.Thresholds:
    """The deployment's set (settings.SCREENING_THRESHOLDS, from SCREENING_THRESHOLDS_FILE)."""
    configured: instruments.Thresholds = getattr(settings, "SCREENING_THRESHOLDS", instruments.DEFAULT_THRESHOLDS)
    return configured


def _check_interpreter(used: bool, language: str) -> str:
    language = language.strip()
    if used and not language:
        raise ValidationError({"interpreter_language": "Enter the language the questionnaire was interpreted into"})
    if language and not used:
        raise ValidationError({"interpreter_language": "Clear the language, or say that an interpreter was used"})
    return language


def _open_tasks(family: Family, person: Person, kind: str) -> list[Task]:
    return list(
        Task.objects.filter(family=family, person=person, kind=kind, status__in=[s.value for s in OPEN]).order_by("pk")
    )


def _complete_earlier_tasks(*, by: User, screen: Screen) -> None:
    """A full assessment completes the parent's open full-assessment tasks; any new questionnaire completes
    the open tasks to complete (or ask the self-harm item of) an earlier one of the same instrument: if
    this one still needs completing, it raises its own task."""
    family, person = screen.family, screen.person
    done = []
    if screen.instrument in pathway.FULL_ASSESSMENTS:
        done += _open_tasks(family, person, TaskKind.FULL_ASSESSMENT)
    done += [
        task
        for task in _open_tasks(family, person, TaskKind.COMPLETE_SCREEN)
        if task.source.split(":")[2:3] == [screen.instrument]
    ]
    for task in done:
        contact_services.complete_task(by=by, task=task, contact=screen.contact, note=f"Questionnaire {screen.pk}")


def _raise_task(*, by: User, screen: Screen, rule: pathway.RuleSuggestion) -> Task:
    today = timezone.localdate()
    task = contact_services.create_task(
        by=by,
        family=screen.family,
        kind=rule.kind,
        title=f"{rule.text} ({screen.person.given_name})"[:200],
        due_from=today + dt.timedelta(days=rule.due_from_days),
        due_by=today + dt.timedelta(days=rule.due_within_days),
        person=screen.person,
        urgent=rule.urgent,
        source=f"screen:{screen.pk}:{screen.instrument}:{rule.rule_id}",
    )
    task.rule_version = f"{rule.rule_id} v{rule.rule_version}"
    task.save(update_fields=["rule_version"])
    return task


def _suggest(*, by: User, screen: Screen, rule: pathway.RuleSuggestion) -> Suggestion:
    suggestion = Suggestion.objects.create(
        screen=screen,
        rule_id=rule.rule_id,
        rule_version=rule.rule_version,
        kind=rule.kind,
        text=rule.text[:300],
        due_within_days=rule.due_within_days,
        due_from_days=rule.due_from_days,
        urgent=rule.urgent,
        referral_reason=rule.referral_reason,
        referral_urgency=rule.referral_urgency,
    )
    audit.record(
        by=by, action=AuditAction.CREATE, obj=suggestion, family_id=screen.family_id, detail={"rule": rule.rule_id}
    )
    return suggestion


@transaction.atomic
def record_screen(
    *,
    by: User,
    family: Family,
    person: Person,
    instrument: str,
    answers: Sequence[int | None],
    contact: Contact | None = None,
    concern: bool = False,
    interpreter_used: bool = False,
    interpreter_language: str = "",
    thresholds: instruments.Thresholds | None = None,
) -> Screen:
    """Score and store a questionnaire with the parent's configured cut-offs (a father's or partner's may
    differ from a mother's); then act on the pathway rules: suggestions to decide, tasks raised at once
    (complete an undetermined questionnaire, ask an unanswered self-harm item today) and an urgent flag
    for a self-harm item above 0. Recording a full assessment completes the parent's full-assessment task."""
    _check_parent(family, person)
    _check_contact(family, contact)
    interpreter_language = _check_interpreter(interpreter_used, interpreter_language)
    try:
        spec = instruments.get(instrument)
    except KeyError:
        raise ValidationError({"instrument": "Choose a questionnaire"}) from None
    th = thresholds or configured_thresholds()
    try:
        result = instruments.score(spec, list(answers), thresholds=th, role=person.role)
    except instruments.ScoringError as error:
        raise ValidationError({"answers": str(error)}) from None
    screen = Screen.objects.create(
        family=family,
        person=person,
        contact=contact,
        instrument=spec.code,
        instrument_version=spec.version,
        thresholds_version=result.thresholds_version,
        answers=list(answers),
        item_scores=list(result.item_scores),
        total=result.total,
        total_at_least=result.total_at_least,
        cutoff=result.cutoff,
        missing_items=list(result.missing_items),
        band=result.band or "",
        positive=result.positive,
        risk_item_flag=result.risk_item_flag,
        concern=concern,
        interpreter_used=interpreter_used,
        interpreter_language=interpreter_language,
        recorded_by=by,
    )
    audit.record(
        by=by,
        action=AuditAction.CREATE,
        obj=screen,
        family_id=family.pk,
        detail={
            "instrument": spec.code,
            "total": result.total,
            "missing": len(result.missing_items),
            "outcome": result.outcome,
            "thresholds": result.thresholds_version,
        },
    )
    _complete_earlier_tasks(by=by, screen=screen)
    for rule in pathway.suggestions_for(result, concern=concern, thresholds=th):
        if rule.action == "flag":
            _raise(by=by, family=family, person=person, reason=FlagReason.RISK_ITEM, emergency=False, screen=screen)
        elif rule.action == "task":
            _raise_task(by=by, screen=screen, rule=rule)
        else:
            _suggest(by=by, screen=screen, rule=rule)
    return screen


@transaction.atomic
def decide_suggestion(*, by: User, suggestion: Suggestion, accept: bool, reason: str = "") -> Suggestion:
    """Accept or override (needs a reason) a pending suggestion. Accepting creates its task; accepting a
    referral suggestion creates no task: the practitioner goes on to the referral form, pre-filled
    (``referral_form_query``)."""
    suggestion = (
        Suggestion.objects.select_for_update().select_related("screen__family", "screen__person").get(pk=suggestion.pk)
    )
    if suggestion.decision != Decision.PENDING:
        raise ValidationError("This suggestion has already been decided")
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError({"reason": "Enter the reason for not following the suggestion"})
    _check_text(reason, bounds.REASON_MAX, "reason", "the reason")
    screen = suggestion.screen
    if accept and not suggestion.is_referral:
        today = timezone.localdate()
        suggestion.task = contact_services.create_task(
            by=by,
            family=screen.family,
            kind=suggestion.kind,
            title=f"{TaskKind(suggestion.kind).label} for {screen.person.given_name}",
            due_from=today + dt.timedelta(days=suggestion.due_from_days),
            due_by=today + dt.timedelta(days=suggestion.due_within_days),
            person=screen.person,
            urgent=suggestion.urgent,
            source=f"suggestion:{suggestion.pk}",
        )
    suggestion.decision = Decision.ACCEPTED if accept else Decision.OVERRIDDEN
    suggestion.override_reason = "" if accept else reason
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    suggestion.save()
    audit.record(
        by=by,
        action=AuditAction.UPDATE,
        obj=suggestion,
        family_id=screen.family_id,
        detail={"decision": suggestion.decision},
    )
    return suggestion


def referral_form_query(suggestion: Suggestion) -> dict[str, str]:
    """Query parameters that pre-fill the referral form from an accepted referral suggestion."""
    return {
        "person": str(suggestion.screen.person_id),
        "reason": suggestion.referral_reason,
        "urgency": suggestion.referral_urgency,
    }


@transaction.atomic
def raise_flag(*, by: User, family: Family, person: Person, reason: str, emergency: bool = False) -> UrgentFlag:
    """A clinical red flag; suspected postpartum psychosis is always an emergency (4-hour standard)."""
    _check_parent(family, person)
    if reason not in FlagReason.values:
        raise ValidationError({"reason": "Choose the red flag"})
    return _raise(
        by=by, family=family, person=person, reason=reason, emergency=emergency or reason in EMERGENCY_REASONS
    )


@transaction.atomic
def close_flag(*, by: User, flag: UrgentFlag, action_taken: str) -> UrgentFlag:
    """Clear a flag: only with the action taken recorded. Completes its urgent task."""
    flag = UrgentFlag.objects.select_for_update().get(pk=flag.pk)
    action_taken = action_taken.strip()
    if not action_taken:
        raise ValidationError({"action_taken": "Enter the action taken before clearing the flag"})
    _check_text(action_taken, bounds.REASON_MAX, "action_taken", "the action taken")
    if flag.status != FlagStatus.OPEN:
        raise ValidationError("This flag is already closed")
    flag.status = FlagStatus.CLOSED
    flag.action_taken = action_taken
    flag.action_at = timezone.now()
    flag.action_by = by
    flag.save()
    if flag.task is not None and flag.task.is_open:
        contact_services.complete_task(by=by, task=flag.task, note="Urgent flag cleared")
    audit.record(by=by, action=AuditAction.UPDATE, obj=flag, family_id=flag.family_id, detail={"status": flag.status})
    return flag


@transaction.atomic
def record_relationship(
    *,
    by: User,
    family: Family,
    parent: Person,
    infant: Person,
    judgement: str,
    observations: Sequence[str] = (),
    notes: str = "",
    contact: Contact | None = None,
) -> RelationshipObservation:
    """A structured judgement of the parent-infant relationship; any concern creates a follow-up task."""
    _check_parent(family, parent, "parent")
    _check_contact(family, contact)
    if infant.family_id != family.pk or not infant.is_infant:
        raise ValidationError({"infant": "Choose a child in this family"})
    if judgement not in Judgement.values:
        raise ValidationError({"judgement": "Choose a judgement"})
    unknown = set(observations) - set(Observation.values)
    if unknown:
        raise ValidationError({"observations": "Choose observations from the list"})
    _check_text(notes.strip(), bounds.NOTES_MAX, "notes", "notes")
    record = RelationshipObservation.objects.create(
        family=family,
        parent=parent,
        infant=infant,
        contact=contact,
        judgement=judgement,
        observations=list(observations),
        notes=notes.strip(),
        recorded_by=by,
    )
    for rule in pathway.relationship_suggestions(judgement):
        today = timezone.localdate()
        record.task = contact_services.create_task(
            by=by,
            family=family,
            kind=rule.kind,
            title=f"{rule.text} ({parent.given_name} and {infant.given_name})",
            due_from=today,
            due_by=today + dt.timedelta(days=rule.due_within_days),
            person=infant,
            source=f"relationship:{record.pk}",
        )
        record.save(update_fields=["task"])
    audit.record(by=by, action=AuditAction.CREATE, obj=record, family_id=family.pk, detail={"judgement": judgement})
    return record
