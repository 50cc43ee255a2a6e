"""Referral changes: each validates its transition, writes history and an audit event, atomically."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pimh.contacts import services as task_services
from pimh.contacts.models import Task, TaskKind
from pimh.core import audit, bounds, versioning
from pimh.core.models import AuditAction, Role, User
from pimh.families.life_events import youngest_living_infant
from pimh.families.models import Family, Person
from pimh.referrals import consent as consent_rules
from pimh.referrals import criteria
from pimh.referrals.models import (
    Course,
    DeclineReason,
    InvolvementKind,
    NoteKind,
    RecordMessage,
    Referral,
    ReferralEvent,
    Service,
    ServiceKind,
    SpecialistInvolvement,
    SupervisionKind,
    SupervisionSession,
    TrainingRecord,
    Urgency,
)
from pimh.referrals.states import Event, IllegalTransition, State, next_state
from pimh.referrals.working_days import add_working_days

# Working days to wait for an acknowledgement before chasing (our design; configurable here).
CHASE_WORKING_DAYS = {Urgency.EMERGENCY: 0, Urgency.URGENT: 1, Urgency.ROUTINE: 5}
# Timeliness standards from referral (domain reference section 4): assessment 2 weeks, treatment 6 weeks.
ASSESSMENT_STANDARD = dt.timedelta(weeks=2)
TREATMENT_STANDARD = dt.timedelta(weeks=6)
AT_RISK_WARNING = dt.timedelta(days=5)
DECLINE_REVIEW_WORKING_DAYS = 5  # our design: review a declined referral within a working week  # the timeliness task opens this long before the standard


def _check_date(bound: bounds.DateBound, value: dt.date, field: str, today: dt.date | None = None) -> None:
    problem = bound.problem(value, today=today or timezone.localdate())
    if problem:
        raise ValidationError({field: problem})


def _check_text(value: str, limit: int, field: str, what: str) -> None:
    problem = bounds.text_problem(value, limit=limit, what=what)
    if problem:
        raise ValidationError({field: problem})


def check_criteria(*, person: Person, service: Service, urgency: str, on: dt.date) -> list[str]:
    """Criteria warnings; a parent referred to a dyad service is checked against the youngest living
    infant in the family (H-035)."""
    infant = None if person.is_infant else youngest_living_infant(person.family)
    return criteria.check(
        service.criteria,
        is_infant=person.is_infant,
        date_of_birth=person.date_of_birth,
        urgency=urgency,
        area=person.family.local_authority_code,
        on=on,
        infant_date_of_birth=infant.date_of_birth if infant is not None else None,
    )


def _source(referral: Referral) -> str:
    return f"referral:{referral.pk}"


def _open_tasks(referral: Referral, kind: str) -> list[Task]:
    return [t for t in Task.objects.filter(source=_source(referral), kind=kind) if t.is_open]


def check_unchanged(*, referral: Referral, seen_status: str | None) -> None:
    """Lock the referral's row; refuse if its state moved on since the page showed ``seen_status``.

    Call inside the transaction of the change (the views wrap both in ``transaction.atomic``).
    """
    current = versioning.lock(referral)
    if seen_status and current.status != seen_status:
        last = current.events.select_related("by").order_by("-at", "-id").first()
        who, when = (last.by, last.at) if last is not None else (None, None)
        raise ValidationError({"status": versioning.changed_message(who, when)})


def _transition(referral: Referral, event: Event, *, by: User | None, note: str = "", **fields: object) -> Referral:
    # Locked and re-read: two people acting on one referral at once cannot both move it from the same state.
    referral.status = versioning.lock(referral).status
    old = referral.state
    try:
        new = next_state(old, event)
    except IllegalTransition as error:
        raise ValidationError({"status": str(error)}) from None
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.status = new
    referral.save(update_fields=["status", *fields])
    ReferralEvent.objects.create(referral=referral, by=by, event=event, from_status=old, to_status=new, note=note[:200])
    audit.record(
        by=by,
        action=AuditAction.UPDATE,
        obj=referral,
        family_id=referral.family_id,
        detail={"event": event.value, "from": old.value, "to": new.value},
    )
    return referral


@transaction.atomic
def create_referral(
    *,
    by: User | None,
    family: Family,
    person: Person,
    service: Service,
    urgency: str,
    reason_code: str,
    reason_text: str = "",
    source: str = "",
    consent: str = consent_rules.NOT_RECORDED,
    consent_note: str = "",
    today: dt.date | None = None,
) -> Referral:
    """A draft referral; criteria warnings are stored, never blocking (the clinician decides).

    Consent may be left unrecorded on a draft; ``send`` refuses until it is (referrals/consent.py).
    """
    today = today or timezone.localdate()
    problems = consent_rules.recording_problems(consent, consent_note)
    if problems:
        raise ValidationError(problems)
    if person.family_id != family.pk:
        raise ValidationError({"person": "Choose someone in this family"})
    if not service.active:
        raise ValidationError({"service": "This service is no longer in the directory"})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": "Choose an urgency"})
    _check_text(reason_text.strip(), bounds.REFERRAL_DETAILS_MAX, "reason_text", "the details")
    referral = Referral.objects.create(
        family=family,
        person=person,
        service=service,
        urgency=urgency,
        reason_code=reason_code,
        reason_text=reason_text.strip(),
        source=source[:60],
        consent=consent,
        consent_note=consent_note.strip(),
        criteria_warnings=check_criteria(person=person, service=service, urgency=urgency, on=today),
        created_by=by,
    )
    ReferralEvent.objects.create(referral=referral, by=by, event="create", to_status=referral.status)
    audit.record(
        by=by,
        action=AuditAction.CREATE,
        obj=referral,
        family_id=family.pk,
        detail={
            "service_kind": service.kind,
            "urgency": urgency,
            "warnings": len(referral.criteria_warnings),
            "consent": consent,
        },
    )
    return referral


@transaction.atomic
def record_consent(*, by: User | None, referral: Referral, consent: str, note: str = "") -> Referral:
    """Record consent to refer on a referral not yet sent (audited; the note itself is not in the audit)."""
    if versioning.lock(referral).state != State.DRAFT:
        raise ValidationError({"consent": "Consent is recorded before the referral is sent"})
    problems = consent_rules.recording_problems(consent, note)
    if problems:
        raise ValidationError(problems)
    referral.consent, referral.consent_note = consent, note.strip()
    referral.save(update_fields=["consent", "consent_note"])
    audit.record(
        by=by, action=AuditAction.UPDATE, obj=referral, family_id=referral.family_id, detail={"consent": consent}
    )
    return referral


@transaction.atomic
def send(*, by: User | None, referral: Referral, today: dt.date | None = None) -> Referral:
    """Send: refused without consent recorded, or without the reason to refer when it was not given."""
    today = today or timezone.localdate()
    problems = consent_rules.send_problems(referral.consent, referral.consent_note)
    if problems:
        raise ValidationError(problems)
    _transition(referral, Event.SEND, by=by, sent_on=today)
    due = add_working_days(today, CHASE_WORKING_DAYS[Urgency(referral.urgency)])
    task_services.create_task(
        by=by,
        family=referral.family,
        kind=TaskKind.REFERRAL_CHASE,
        title=f"Chase referral to {referral.service.name} if not acknowledged",
        due_from=due,
        due_by=due,
        person=referral.person,
        urgent=referral.urgency != Urgency.ROUTINE,
        source=_source(referral),
        today=today,
    )
    return referral


@transaction.atomic
def create_and_send(*, by: User | None, today: dt.date | None = None, **details: Any) -> Referral:
    """Create a referral and send it in one step: both happen, or neither."""
    referral = create_referral(by=by, today=today, **details)
    return send(by=by, referral=referral, today=today)


def _complete_chase(referral: Referral, *, by: User | None, today: dt.date, note: str) -> None:
    for task in _open_tasks(referral, TaskKind.REFERRAL_CHASE):
        task_services.complete_task(by=by, task=task, note=note, today=today)


@transaction.atomic
def acknowledge(*, by: User | None, referral: Referral, today: dt.date | None = None) -> Referral:
    today = today or timezone.localdate()
    _transition(referral, Event.ACKNOWLEDGE, by=by, acknowledged_on=today)
    _complete_chase(referral, by=by, today=today, note="Referral acknowledged")
    return referral


@transaction.atomic
def accept(*, by: User | None, referral: Referral, today: dt.date | None = None) -> Referral:
    today = today or timezone.localdate()
    _transition(referral, Event.ACCEPT, by=by, decided_on=today, acknowledged_on=referral.acknowledged_on or today)
    _complete_chase(referral, by=by, today=today, note="Referral accepted")
    sent = referral.sent_on or today
    due_by = max(sent + ASSESSMENT_STANDARD, today)
    task_services.create_task(
        by=by,
        family=referral.family,
        kind=TaskKind.REFERRAL_TIMELINESS,
        title=(
            f"Check {referral.service.name} has seen the family: assessment due by "
            f"{sent + ASSESSMENT_STANDARD:%d %b %Y}, treatment by {sent + TREATMENT_STANDARD:%d %b %Y}"
        ),
        due_from=max(due_by - AT_RISK_WARNING, today),
        due_by=due_by,
        person=referral.person,
        source=_source(referral),
        today=today,
    )
    return referral


def _cancel_open_tasks(referral: Referral, *, by: User | None, today: dt.date, reason: str) -> None:
    for kind in (TaskKind.REFERRAL_CHASE, TaskKind.REFERRAL_TIMELINESS):
        for task in _open_tasks(referral, kind):
            task_services.cancel_task(by=by, task=task, reason=reason, today=today)


@transaction.atomic
def decline(
    *, by: User | None, referral: Referral, reason: str, note: str = "", today: dt.date | None = None
) -> Referral:
    today = today or timezone.localdate()
    if reason not in DeclineReason.values:
        raise ValidationError({"decline_reason": "Choose the reason the service gave for declining"})
    _transition(referral, Event.DECLINE, by=by, note=note, decline_reason=reason, decided_on=today, closed_on=today)
    _cancel_open_tasks(referral, by=by, today=today, reason="Referral declined")
    # A decline must not end the family's route to help (hazard H-012): prompt a review of alternatives.
    task_services.create_task(
        by=by,
        family=referral.family,
        kind=TaskKind.FOLLOW_UP,
        title=(
            f"Referral to {referral.service.name} declined ({DeclineReason(reason).label.lower()}): "
            "review the need and consider another service"
        ),
        due_from=today,
        due_by=add_working_days(today, DECLINE_REVIEW_WORKING_DAYS),
        person=referral.person,
        source=_source(referral),
        today=today,
    )
    return referral


@transaction.atomic
def offer_first_appointment(
    *, by: User | None, referral: Referral, on: dt.date | None, today: dt.date | None = None
) -> Referral:
    if on is None:
        raise ValidationError({"first_appointment_on": "Enter the date of the first appointment"})
    if referral.sent_on and on < referral.sent_on:
        raise ValidationError({"first_appointment_on": "The appointment cannot be before the referral was sent"})
    _check_date(bounds.FIRST_APPOINTMENT, on, "first_appointment_on", today)
    return _transition(referral, Event.OFFER_FIRST_APPOINTMENT, by=by, note=f"{on:%d %b %Y}", first_appointment_on=on)


@transaction.atomic
def record_attended(*, by: User | None, referral: Referral, today: dt.date | None = None) -> Referral:
    today = today or timezone.localdate()
    attended = min(referral.first_appointment_on or today, today)
    _transition(referral, Event.RECORD_ATTENDED, by=by, attended_on=attended)
    for task in _open_tasks(referral, TaskKind.REFERRAL_TIMELINESS):
        task_services.complete_task(by=by, task=task, note="First appointment attended", today=today)
    return referral


@transaction.atomic
def discharge(*, by: User | None, referral: Referral, note: str = "", today: dt.date | None = None) -> Referral:
    today = today or timezone.localdate()
    _transition(referral, Event.DISCHARGE, by=by, note=note, closed_on=today, closing_note=note[:200])
    _cancel_open_tasks(referral, by=by, today=today, reason="Referral closed: discharged")
    return referral


@transaction.atomic
def withdraw(*, by: User | None, referral: Referral, reason: str, today: dt.date | None = None) -> Referral:
    today = today or timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for withdrawing the referral"})
    _transition(
        referral, Event.WITHDRAW, by=by, note=reason.strip(), closed_on=today, closing_note=reason.strip()[:200]
    )
    _cancel_open_tasks(referral, by=by, today=today, reason="Referral withdrawn")
    return referral


# ---- the specialist's work ---------------------------------------------------------------


@transaction.atomic
def add_specialist_involvement(
    *, by: User | None, family: Family, specialist: User, kind: str, started: dt.date | None = None
) -> SpecialistInvolvement:
    if specialist.role != Role.SPECIALIST_HV:
        raise ValidationError({"specialist": "Choose a specialist health visitor"})
    if kind not in InvolvementKind.values:
        raise ValidationError({"kind": "Choose the kind of involvement"})
    if not specialist.teams.filter(pk=family.team_id).exists():
        raise ValidationError({"specialist": "The specialist does not work with this family's team"})
    if started is not None:
        _check_date(bounds.INVOLVEMENT_START, started, "started")
    involvement = SpecialistInvolvement.objects.create(
        family=family, specialist=specialist, kind=kind, started=started or timezone.localdate()
    )
    audit.record(by=by, action=AuditAction.CREATE, obj=involvement, family_id=family.pk, detail={"kind": kind})
    return involvement


@transaction.atomic
def end_specialist_involvement(*, by: User | None, involvement: SpecialistInvolvement, on: dt.date) -> None:
    if on < involvement.started:
        raise ValidationError({"ended": "The end cannot be before the start"})
    involvement.ended = on
    involvement.save(update_fields=["ended"])
    audit.record(by=by, action=AuditAction.UPDATE, obj=involvement, family_id=involvement.family_id)


@transaction.atomic
def record_supervision(
    *, by: User | None, supervisee: User, supervisor: User, date: dt.date, kind: str, duration_minutes: int
) -> SupervisionSession:
    if kind not in SupervisionKind.values:
        raise ValidationError({"kind": "Choose the kind of supervision"})
    if duration_minutes <= 0:
        raise ValidationError({"duration_minutes": "Enter the length of the session in minutes"})
    _check_date(bounds.SUPERVISION_DATE, date, "date")
    session = SupervisionSession.objects.create(
        supervisee=supervisee, supervisor=supervisor, date=date, kind=kind, duration_minutes=duration_minutes
    )
    audit.record(by=by, action=AuditAction.CREATE, obj=session, detail={"kind": kind})
    return session


@transaction.atomic
def record_training(
    *, by: User | None, practitioner: User, course: str, completed_on: dt.date, module_name: str = ""
) -> TrainingRecord:
    if course not in Course.values:
        raise ValidationError({"course": "Choose the course"})
    if course == Course.ELEARNING and not module_name.strip():
        raise ValidationError({"module_name": "Enter the e-learning module's name"})
    _check_date(bounds.TRAINING_COMPLETED, completed_on, "completed_on")
    record = TrainingRecord.objects.create(
        practitioner=practitioner, course=course, completed_on=completed_on, module_name=module_name.strip()
    )
    audit.record(by=by, action=AuditAction.CREATE, obj=record, detail={"course": course})
    return record


@transaction.atomic
def accept_for_specialist(*, by: User, referral: Referral, kind: str, today: dt.date | None = None) -> Referral:
    """The specialist HV accepts a referral to her service and takes the family onto her caseload."""
    if kind not in InvolvementKind.values:
        raise ValidationError({"kind": "Choose consultation, joint working or holding the case"})
    if referral.service.kind != ServiceKind.SPECIALIST_HV:
        raise ValidationError("Only referrals to the specialist PIMH health visiting service are accepted here")
    accept(by=by, referral=referral, today=today)
    add_specialist_involvement(by=by, family=referral.family, specialist=by, kind=kind, started=today)
    return referral


# ---- talking through the record -----------------------------------------------------------


@transaction.atomic
def post_message(*, by: User, family: Family, text: str, kind: str = NoteKind.MESSAGE) -> RecordMessage:
    """Add a message or consultation note to the family's thread (append-only), audited."""
    if kind not in NoteKind.values:
        raise ValidationError({"kind": "Choose a message or a consultation note"})
    if by.role not in (Role.HEALTH_VISITOR, Role.SPECIALIST_HV, Role.TEAM_LEAD):
        raise ValidationError("Only health visitors, specialist health visitors and team leads post messages")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter the message"})
    _check_text(text, bounds.MESSAGE_MAX, "text", "the message")
    message = RecordMessage.objects.create(family=family, kind=kind, author=by, author_role=by.role, text=text)
    # The audit event names the message and its kind, never its text.
    audit.record(by=by, action=AuditAction.CREATE, obj=message, family_id=family.pk, detail={"kind": kind})
    return message
