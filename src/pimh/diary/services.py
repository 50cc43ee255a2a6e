"""Every change to bookings goes through these functions (``by=`` is the actor)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from pimh.contacts import services as contact_services
from pimh.contacts.models import Contact, ContactType, Location, Task, TaskKind
from pimh.contacts.task_states import OPEN
from pimh.core import audit, bounds, versioning
from pimh.core.models import AuditAction, User
from pimh.diary import rules
from pimh.diary.models import Booking, BookingStatus
from pimh.families.models import Family

PLACE_MAX = Booking._meta.get_field("place").max_length or 200
REASON_MAX = Booking._meta.get_field("cancel_reason").max_length or 200
OPEN_VALUES = [s.value for s in OPEN]
ALREADY_BOOKED = "This task is already booked: cancel that booking first, or record the contact from it"


@dataclass(frozen=True)
class BookingData:
    contact_type: str
    date: dt.date
    time: dt.time
    location: str = Location.HOME
    place: str = ""
    people_ids: tuple[int, ...] = ()
    task_id: int | None = None


def bookable_tasks(family: Family) -> list[Task]:
    """The family's open tasks a booking may be for: those a contact completes (not urgent flags)."""
    return list(
        family.tasks.filter(status__in=OPEN_VALUES, kind__in=ContactType.values)
        .exclude(kind=TaskKind.URGENT_ACTION)
        .select_related("person")
        .order_by("due_by", "pk")
    )


def check_booking(family: Family, data: BookingData, *, today: dt.date) -> Task | None:
    """Raise ValidationError naming each bad field; return the task booked for, if any."""
    errors: dict[str, str] = {}
    if data.contact_type not in ContactType.values:
        errors["contact_type"] = "Choose the type of contact"
    if problem := bounds.BOOKING_DATE.problem(data.date, today=today):
        errors["date"] = problem
    if data.location not in Location.values:
        errors["location"] = "Choose where the contact will be"
    if problem := bounds.text_problem(data.place, limit=PLACE_MAX, what="place"):
        errors["place"] = problem
    if not data.people_ids:
        errors["people_ids"] = "Choose who the contact is with"
    elif not set(data.people_ids) <= set(family.people.values_list("pk", flat=True)):
        errors["people_ids"] = "Choose people in this family"
    task = None
    if data.task_id is not None:
        task = next((t for t in bookable_tasks(family) if t.pk == data.task_id), None)
        if task is None:
            errors["task_id"] = "Choose an open task of this family"
        elif Booking.objects.filter(task=task, status=BookingStatus.BOOKED).exists():
            errors["task_id"] = ALREADY_BOOKED
    if errors:
        raise ValidationError(errors)
    return task


@transaction.atomic
def book_contact(*, by: User, family: Family, data: BookingData, today: dt.date | None = None) -> Booking:
    """Put a future contact in ``by``'s diary (for a task, when one is chosen)."""
    today = today or timezone.localdate()
    task = check_booking(family, data, today=today)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                family=family,
                task=task,
                practitioner=by,
                contact_type=data.contact_type,
                date=data.date,
                time=data.time,
                location=data.location,
                place=data.place.strip(),
                created_by=by,
            )
    except IntegrityError:  # two bookings of one task at the same moment
        raise ValidationError({"task_id": ALREADY_BOOKED}) from None
    booking.people.set(data.people_ids)
    audit.record(
        by=by,
        action=AuditAction.CREATE,
        obj=booking,
        family_id=family.pk,
        detail={"contact_type": booking.contact_type, "task": task.pk if task else None},
    )
    return booking


def window_warning(booking: Booking) -> str | None:
    """A warning when a booking for a task is outside the task's window (None otherwise)."""
    task = booking.task
    if task is None:
        return None
    return rules.window_warning(booking.date, due_from=task.due_from, due_by=task.due_by, label=task.title)


def _lock_booked(booking: Booking) -> Booking:
    """Lock the booking's row and refuse if it was recorded or cancelled meanwhile (another user)."""
    current = versioning.lock(booking)
    booking.status = current.status
    if not booking.is_booked:
        raise ValidationError(
            {
                "booking": f"This booking is already {current.get_status_display().lower()}. "
                + versioning.changed_message(*versioning.last_change(booking))
            }
        )
    return booking


@transaction.atomic
def cancel_booking(*, by: User, booking: Booking, reason: str) -> Booking:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for cancelling the booking"})
    if problem := bounds.text_problem(reason, limit=REASON_MAX, what="reason"):
        raise ValidationError({"reason": problem})
    _lock_booked(booking)
    booking.status = BookingStatus.CANCELLED
    booking.cancel_reason = reason
    booking.save(update_fields=["status", "cancel_reason"])
    audit.record(
        by=by, action=AuditAction.UPDATE, obj=booking, family_id=booking.family_id, detail={"status": booking.status}
    )
    return booking


@transaction.atomic
def record_from_booking(
    *, by: User, booking: Booking, data: contact_services.ContactData, today: dt.date | None = None
) -> Contact:
    """Record the contact a booking was for: the booking is then done, and its task applied to."""
    _lock_booked(booking)
    task = booking.task if booking.task is not None and booking.task.is_open else None
    contact = contact_services.record_contact(by=by, family=booking.family, data=data, task=task, today=today)
    booking.refresh_from_db(fields=["status", "contact"])
    if not booking.is_booked:  # done already: the contact completed the booking's task (H-125)
        return contact
    booking.status = BookingStatus.DONE
    booking.contact = contact
    booking.save(update_fields=["status", "contact"])
    audit.record(
        by=by,
        action=AuditAction.UPDATE,
        obj=booking,
        family_id=booking.family_id,
        detail={"status": booking.status, "contact": contact.pk},
    )
    return contact
