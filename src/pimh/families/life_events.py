"""Life events: a child moves in or out, dies, is looked after; a date of birth or EDD is corrected.

Services like those in ``services.py``: keyword-only arguments, the acting user as ``by=``, one
transaction with its audit events, ``ValidationError`` with field names for bad input (nothing saved).
Each event is kept as a dated ``LifeEvent`` shown on the family record (hazards H-030 to H-035).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pimh.contacts import schedule
from pimh.contacts import services as contact_services
from pimh.contacts.models import TaskKind
from pimh.core import audit
from pimh.core.models import AuditAction, User
from pimh.families import services
from pimh.families.models import (
    ADULT_ROLES,
    Family,
    LifeEvent,
    LifeEventKind,
    Person,
    PersonRole,
    Pregnancy,
    PregnancyOutcome,
    RelationshipKind,
)

# Our design (not a national standard): the transfer-in contact is due within 2 weeks of the move.
TRANSFER_IN_DAYS = 14
MOVE_OUT_KINDS = (LifeEventKind.MOVED_OUT, LifeEventKind.TRANSFERRED)
DIED_REASON = "Not applicable: the child has died"


def _locked_child(person: Person, *, field: str) -> Person:
    """The child's row, locked and fresh; refuses anyone who is not a living child."""
    child = Person.objects.select_for_update().get(pk=person.pk)
    if child.role != PersonRole.INFANT:
        raise ValidationError({field: "This is recorded for a child in the family"})
    if child.date_of_death is not None:
        raise ValidationError({field: f"This child's death is recorded ({child.date_of_death:%d %b %Y})"})
    return child


def _check_date(on: dt.date, child: Person, *, field: str, today: dt.date) -> None:
    if on > today:
        raise ValidationError({field: "The date must be today or in the past"})
    if child.date_of_birth is not None and on < child.date_of_birth:
        raise ValidationError({field: "The date must not be before the child's date of birth"})


def _event(
    by: User, person: Person, kind: str, on: dt.date, *, detail: dict[str, object], **fields: object
) -> LifeEvent:
    event = LifeEvent.objects.create(
        family_id=person.family_id, person=person, kind=kind, on=on, recorded_by=by, **fields
    )
    audit.record(
        by=by, action=AuditAction.CREATE, obj=event, family_id=person.family_id, detail={"kind": kind, **detail}
    )
    return event


def missed_before_move_in(person: Person) -> list[schedule.Window]:
    """Mandated contacts due before the child moved in (from its age and the schedule)."""
    if person.responsible_from is None or person.date_of_birth is None:
        return []
    return schedule.due_before(person.date_of_birth, person.responsible_from, rules=contact_services.RULES)


@transaction.atomic
def record_move_in(
    *, by: User, person: Person, on: dt.date, previous_provider: str = "", today: dt.date | None = None
) -> LifeEvent:
    """The child moved into the area on ``on``: responsibility starts and a transfer-in contact is due.

    The task's title names the mandated contacts that were due before the move, to check they happened.
    """
    today = today or timezone.localdate()
    child = _locked_child(person, field="moved_in_on")
    _check_date(on, child, field="moved_in_on", today=today)
    if child.responsible_from is not None and child.responsible_until is None:
        raise ValidationError({"moved_in_on": f"A move in is already recorded ({child.responsible_from:%d %b %Y})"})
    if child.responsible_until is not None and on < child.responsible_until:
        raise ValidationError({"moved_in_on": "The date must not be before the recorded move out"})
    child.responsible_from, child.responsible_until = on, None
    child.save(update_fields=["responsible_from", "responsible_until"])
    missed = missed_before_move_in(child)
    title = "Transfer-in contact"
    if missed:
        title += " (due before the move, check they happened: " + ", ".join(w.label for w in missed) + ")"
    contact_services.create_task(
        by=by,
        family=child.family,
        person=child,
        kind=TaskKind.TRANSFER_IN,
        title=title[:200],
        due_from=on,
        due_by=on + dt.timedelta(days=TRANSFER_IN_DAYS),
        source="life-event:moved_in",
        today=today,
    )
    event = _event(
        by,
        child,
        LifeEventKind.MOVED_IN,
        on,
        detail={"missed": [w.contact for w in missed]},
        note=previous_provider.strip()[:200],
    )
    services._schedule(by, child.family)
    contact_services.restore_child_windows(by=by, person=child, source="life-event:moved_in", today=today)
    person.responsible_from, person.responsible_until = child.responsible_from, None
    return event


@transaction.atomic
def record_move_out(
    *, by: User, person: Person, on: dt.date, kind: str, note: str = "", today: dt.date | None = None
) -> LifeEvent:
    """The child moved out or was transferred: open tasks close with that reason, responsibility ends."""
    today = today or timezone.localdate()
    if kind not in MOVE_OUT_KINDS:
        raise ValidationError({"kind": "Choose whether the child moved out or was transferred"})
    child = _locked_child(person, field="moved_out_on")
    _check_date(on, child, field="moved_out_on", today=today)
    if child.responsible_until is not None:
        raise ValidationError({"moved_out_on": f"A move out is already recorded ({child.responsible_until:%d %b %Y})"})
    if child.responsible_from is not None and on < child.responsible_from:
        raise ValidationError({"moved_out_on": "The date must not be before the child moved in"})
    child.responsible_until = on
    child.save(update_fields=["responsible_until"])
    label = LifeEventKind(kind).label
    closed = contact_services.close_person_tasks(by=by, person=child, reason=f"{label} on {on:%d %b %Y}", today=today)
    person.responsible_until = on
    return _event(by, child, kind, on, detail={"closed_tasks": closed}, note=note.strip()[:200])


@transaction.atomic
def record_death(*, by: User, person: Person, on: dt.date, today: dt.date | None = None) -> LifeEvent:
    """A child died: every prompt for the child stops at once and the family record shows a bereavement.

    Only that child's tasks close (as not applicable); a twin's or sibling's prompts continue.
    """
    today = today or timezone.localdate()
    child = _locked_child(person, field="date_of_death")
    _check_date(on, child, field="date_of_death", today=today)
    child.date_of_death = on
    child.save(update_fields=["date_of_death"])
    closed = contact_services.close_person_tasks(by=by, person=child, reason=DIED_REASON, today=today)
    person.date_of_death = on
    return _event(by, child, LifeEventKind.DIED, on, detail={"closed_tasks": closed})


@transaction.atomic
def record_looked_after(
    *,
    by: User,
    person: Person,
    carer: Person,
    on: dt.date,
    relationship: str = RelationshipKind.FOSTER_CARER,
    today: dt.date | None = None,
) -> LifeEvent:
    """The child is looked after, or its carer changes: ``carer`` holds parental responsibility from ``on``.

    The family record then shows this carer first.
    """
    today = today or timezone.localdate()
    child = _locked_child(person, field="carer")
    _check_date(on, child, field="carer_from", today=today)
    if carer.family_id != child.family_id or carer.role not in ADULT_ROLES:
        raise ValidationError({"carer": "Choose an adult in this family (add the carer to the family first)"})
    if child.carer_from is not None and on < child.carer_from:
        raise ValidationError({"carer_from": "The date must not be before the current carer's"})
    services.set_relationship(by=by, adult=carer, child=child, kind=relationship)
    child.looked_after_from = child.looked_after_from or on
    child.carer_with_pr, child.carer_from = carer, on
    child.save(update_fields=["looked_after_from", "carer_with_pr", "carer_from"])
    person.looked_after_from, person.carer_with_pr, person.carer_from = child.looked_after_from, carer, on
    return _event(by, child, LifeEventKind.LOOKED_AFTER, on, detail={"relationship": relationship}, carer=carer)


@transaction.atomic
def end_looked_after(
    *, by: User, person: Person, on: dt.date, note: str = "", today: dt.date | None = None
) -> LifeEvent:
    """The child is no longer looked after (home, adoption): the carer is no longer shown first."""
    today = today or timezone.localdate()
    child = _locked_child(person, field="ended_on")
    _check_date(on, child, field="ended_on", today=today)
    if child.carer_with_pr_id is None:
        raise ValidationError({"ended_on": "This child is not recorded as looked after"})
    if child.carer_from is not None and on < child.carer_from:
        raise ValidationError({"ended_on": "The date must not be before the current carer's"})
    carer = child.carer_with_pr
    child.looked_after_from = child.carer_with_pr = child.carer_from = None
    child.save(update_fields=["looked_after_from", "carer_with_pr", "carer_from"])
    person.looked_after_from = person.carer_with_pr = person.carer_from = None
    return _event(by, child, LifeEventKind.LOOKED_AFTER_ENDED, on, detail={}, carer=carer, note=note.strip()[:200])


def date_of_birth_corrected(*, by: User, person: Person, was: dt.date | None) -> int:
    """Called by ``services.update_person`` in its transaction: open tasks move, closed ones keep dates.

    Each moved task gets a ``reschedule`` event naming its old window (H-030). Returns how many moved.
    """
    moved = 0
    if was is not None and person.date_of_birth is not None:
        moved = contact_services.reschedule_child(by=by, person=person, note="Date of birth corrected")
        _event(
            by,
            person,
            LifeEventKind.DOB_CORRECTED,
            person.date_of_birth,
            detail={"moved_tasks": moved},
            note=f"Was {was:%d %b %Y}",
        )
    pregnancy = person.pregnancy
    if pregnancy is not None and pregnancy.outcome == PregnancyOutcome.LIVE_BIRTH:
        born = min(d for d in pregnancy.infants.values_list("date_of_birth", flat=True) if d is not None)
        if born != pregnancy.outcome_date:
            Pregnancy.objects.filter(pk=pregnancy.pk).update(outcome_date=born)
            pregnancy.outcome_date = born
            moved += contact_services.reschedule_pregnancy(
                by=by,
                pregnancy=pregnancy,
                note="Date of birth corrected",
                not_applicable="Not applicable: born before 28 weeks of pregnancy",
            )
    services._schedule(by, person.family)
    return moved


@transaction.atomic
def correct_date_of_birth(*, by: User, person: Person, date_of_birth: dt.date) -> Person:
    """Correct a child's date of birth (the same as changing it on the person's page)."""
    fields = {name: getattr(person, name) for name in services.PersonData.__dataclass_fields__}
    fields["nhs_number"] = person.nhs_number or ""
    fields["date_of_birth"] = date_of_birth
    return services.update_person(by=by, person=person, data=services.PersonData(**fields))


@transaction.atomic
def correct_edd(*, by: User, pregnancy: Pregnancy, edd: dt.date) -> Pregnancy:
    """Correct the EDD of an ongoing pregnancy (after the dating scan): open tasks' windows move."""
    pregnancy = Pregnancy.objects.select_for_update().select_related("mother", "family").get(pk=pregnancy.pk)
    if pregnancy.outcome != PregnancyOutcome.ONGOING:
        raise ValidationError({"edd": "This pregnancy already has an outcome"})
    services.check_edd(edd)
    if edd == pregnancy.edd:
        raise ValidationError({"edd": "This is the date already recorded"})
    was = pregnancy.edd
    pregnancy.edd = edd
    pregnancy.save(update_fields=["edd"])
    moved = contact_services.reschedule_pregnancy(
        by=by,
        pregnancy=pregnancy,
        note="EDD corrected",
        not_applicable="Not applicable: EDD corrected",
    )
    _event(
        by,
        pregnancy.mother,
        LifeEventKind.EDD_CORRECTED,
        edd,
        detail={"moved_tasks": moved},
        pregnancy=pregnancy,
        note=f"Was {was:%d %b %Y}",
    )
    audit.record(
        by=by, action=AuditAction.UPDATE, obj=pregnancy, family_id=pregnancy.family_id, detail={"fields": ["edd"]}
    )
    services._schedule(by, pregnancy.family)
    return pregnancy


def youngest_living_infant(family: Family) -> Person | None:
    """The youngest child of the family who is alive and still lives with it (for dyad services)."""
    return (
        family.people.filter(
            role=PersonRole.INFANT,
            date_of_birth__isnull=False,
            date_of_death__isnull=True,
            responsible_until__isnull=True,
        )
        .order_by("-date_of_birth", "-pk")
        .first()
    )
