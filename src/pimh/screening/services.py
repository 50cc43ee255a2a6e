"""Every change to screens, suggestions, urgent flags and relationship observations (``by=`` is the actor).

Atomic and audited. Audit detail holds codes and numbers only (never answers' text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pimh.contacts import services as contact_services
from pimh.contacts.models import Contact, Task, TaskKind
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
    thresholds: instruments.Thresholds | None = None,
) -> Screen:
    """Score and store a questionnaire; make suggestions; a risk item above 0 raises an urgent flag."""
    _check_parent(family, person)
    _check_contact(family, contact)
    try:
        spec = instruments.get(instrument)
    except KeyError:
        raise ValidationError({"instrument": "Choose a questionnaire"}) from None
    try:
        result = instruments.score(spec, list(answers), thresholds=thresholds)
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
        missing_items=list(result.missing_items),
        band=result.band or "",
        positive=result.positive,
        risk_item_flag=result.risk_item_flag,
        concern=concern,
        recorded_by=by,
    )
    audit.record(
        by=by,
        action=AuditAction.CREATE,
        obj=screen,
        family_id=family.pk,
        detail={"instrument": spec.code, "total": result.total, "missing": len(result.missing_items)},
    )
    for rule in pathway.suggestions_for(result, concern=concern):
        if rule.urgent:
            _raise(by=by, family=family, person=person, reason=FlagReason.RISK_ITEM, emergency=False, screen=screen)
            continue
        suggestion = Suggestion.objects.create(
            screen=screen,
            rule_id=rule.rule_id,
            rule_version=rule.rule_version,
            kind=rule.kind,
            text=rule.text,
            due_within_days=rule.due_within_days,
        )
        audit.record(
            by=by, action=AuditAction.CREATE, obj=suggestion, family_id=family.pk, detail={"rule": rule.rule_id}
        )
    return screen


@transaction.atomic
def decide_suggestion(*, by: User, suggestion: Suggestion, accept: bool, reason: str = "") -> Suggestion:
    """Accept (creates the task) or override (needs a reason) a pending suggestion."""
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
    if accept:
        today = timezone.localdate()
        suggestion.task = contact_services.create_task(
            by=by,
            family=screen.family,
            kind=suggestion.kind,
            title=f"{TaskKind(suggestion.kind).label} for {screen.person.given_name}",
            due_from=today,
            due_by=today + dt.timedelta(days=suggestion.due_within_days),
            person=screen.person,
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
