"""Booking, cancelling and recording from a booking: rules, audit and the task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pimh.contacts import services as contact_services
from pimh.core.models import AuditEvent
from pimh.diary import services
from pimh.diary.models import Booking
from tests.conftest import make_family


@pytest.fixture
def nbv_family(hv, team_a):
    return make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)


def _data(family, *, task=None, date=None, **overrides):
    values = {
        "contact_type": task.kind if task else "additional",
        "date": date or timezone.localdate(),
        "time": dt.time(10, 0),
        "people_ids": (family.people.get(role="birthing_parent").pk,),
        "task_id": task.pk if task else None,
    }
    values.update(overrides)
    return services.BookingData(**values)


def test_booking_a_task_inside_its_window_is_audited_and_shown_without_warning(hv, nbv_family):
    task = nbv_family.tasks.get(kind="new_birth_visit")
    booking = services.book_contact(by=hv, family=nbv_family, data=_data(nbv_family, task=task, date=task.due_by))
    assert (booking.task, booking.status, booking.practitioner) == (task, "booked", hv)
    assert services.window_warning(booking) is None
    event = AuditEvent.objects.get(action="create", object_type="diary.Booking")
    assert (event.family_id, event.detail) == (nbv_family.pk, {"contact_type": "new_birth_visit", "task": task.pk})


def test_booking_after_the_window_is_kept_with_a_warning(hv, nbv_family):
    task = nbv_family.tasks.get(kind="new_birth_visit")
    late = task.due_by + dt.timedelta(days=1)
    booking = services.book_contact(by=hv, family=nbv_family, data=_data(nbv_family, task=task, date=late))
    assert services.window_warning(booking).startswith("This booking is after the window of the New birth visit")


def test_a_booking_in_the_past_is_refused_and_nothing_is_saved(hv, nbv_family):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.book_contact(by=hv, family=nbv_family, data=_data(nbv_family, date=yesterday))
    assert "date" in caught.value.message_dict
    assert not Booking.objects.exists()


def test_a_booking_more_than_a_year_ahead_is_refused(hv, nbv_family):
    far = timezone.localdate() + dt.timedelta(days=367)
    with pytest.raises(ValidationError, match="Date of the booking must be on or before"):
        services.book_contact(by=hv, family=nbv_family, data=_data(nbv_family, date=far))


def test_a_booking_needs_someone_from_the_family(hv, nbv_family, family_b):
    with pytest.raises(ValidationError) as caught:
        services.book_contact(by=hv, family=nbv_family, data=_data(nbv_family, people_ids=()))
    assert caught.value.message_dict == {"people_ids": ["Choose who the contact is with"]}
    stranger = family_b.people.first().pk
    with pytest.raises(ValidationError, match="Choose people in this family"):
        services.book_contact(by=hv, family=nbv_family, data=_data(nbv_family, people_ids=(stranger,)))


def test_another_family_s_task_cannot_be_booked(hv, nbv_family, family_b):
    theirs = family_b.tasks.filter(kind="new_birth_visit").first() or family_b.tasks.first()
    with pytest.raises(ValidationError, match="Choose an open task of this family"):
        services.book_contact(by=hv, family=nbv_family, data=_data(nbv_family, task_id=theirs.pk))


def test_a_task_is_booked_once(hv, nbv_family):
    task = nbv_family.tasks.get(kind="new_birth_visit")
    services.book_contact(by=hv, family=nbv_family, data=_data(nbv_family, task=task))
    with pytest.raises(ValidationError, match="already booked"):
        services.book_contact(by=hv, family=nbv_family, data=_data(nbv_family, task=task))
    assert Booking.objects.count() == 1


def test_cancelling_needs_a_reason_then_is_audited(hv, nbv_family):
    booking = services.book_contact(by=hv, family=nbv_family, data=_data(nbv_family))
    with pytest.raises(ValidationError, match="Give the reason for cancelling the booking"):
        services.cancel_booking(by=hv, booking=booking, reason="   ")
    booking.refresh_from_db()
    assert booking.status == "booked"
    services.cancel_booking(by=hv, booking=booking, reason="Family on holiday")
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason) == ("cancelled", "Family on holiday")
    assert AuditEvent.objects.filter(action="update", object_id=str(booking.pk), detail__status="cancelled").exists()


def test_recording_from_a_booking_completes_its_task_and_marks_it_done(hv, nbv_family):
    task = nbv_family.tasks.get(kind="new_birth_visit")
    booking = services.book_contact(by=hv, family=nbv_family, data=_data(nbv_family, task=task))
    infant = nbv_family.people.get(role="infant")
    contact = services.record_from_booking(
        by=hv,
        booking=booking,
        data=contact_services.ContactData(
            contact_type="new_birth_visit", date=timezone.localdate(), subject_id=infant.pk, present_ids=(infant.pk,)
        ),
    )
    booking.refresh_from_db()
    task.refresh_from_db()
    assert (booking.status, booking.contact, task.status, task.completed_by) == ("done", contact, "completed", contact)


def test_a_done_or_cancelled_booking_cannot_be_recorded_or_cancelled_again(hv, nbv_family):
    booking = services.book_contact(by=hv, family=nbv_family, data=_data(nbv_family))
    services.cancel_booking(by=hv, booking=booking, reason="Moved")
    with pytest.raises(ValidationError, match="This booking is already cancelled"):
        services.cancel_booking(by=hv, booking=booking, reason="Again")
    mother = nbv_family.people.get(role="birthing_parent").pk
    data = contact_services.ContactData(contact_type="additional", date=timezone.localdate(), present_ids=(mother,))
    with pytest.raises(ValidationError, match="This booking is already cancelled"):
        services.record_from_booking(by=hv, booking=booking, data=data)
    assert not nbv_family.contacts.exists()


def test_a_contact_that_fails_its_checks_leaves_the_booking_open(hv, nbv_family):
    booking = services.book_contact(by=hv, family=nbv_family, data=_data(nbv_family))
    data = contact_services.ContactData(contact_type="additional", date=timezone.localdate())  # nobody present
    with pytest.raises(ValidationError, match="Record who was present"):
        services.record_from_booking(by=hv, booking=booking, data=data)
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_a_contact_recorded_from_the_task_closes_its_booking_once(hv, nbv_family):
    task = nbv_family.tasks.get(kind="new_birth_visit")
    booking = services.book_contact(by=hv, family=nbv_family, data=_data(nbv_family, task=task))
    infant = nbv_family.people.get(role="infant")
    contact = contact_services.record_contact(
        by=hv,
        family=nbv_family,
        task=task,
        data=contact_services.ContactData(
            contact_type="new_birth_visit", date=timezone.localdate(), subject_id=infant.pk, present_ids=(infant.pk,)
        ),
    )
    booking.refresh_from_db()
    assert (booking.status, booking.contact) == ("done", contact)
    updates = AuditEvent.objects.filter(action="update", object_type="diary.Booking", object_id=str(booking.pk))
    assert [e.detail for e in updates] == [{"status": "done", "contact": contact.pk}]


def test_recording_from_a_booking_audits_the_booking_once(hv, nbv_family):
    task = nbv_family.tasks.get(kind="new_birth_visit")
    booking = services.book_contact(by=hv, family=nbv_family, data=_data(nbv_family, task=task))
    infant = nbv_family.people.get(role="infant")
    services.record_from_booking(
        by=hv,
        booking=booking,
        data=contact_services.ContactData(
            contact_type="new_birth_visit", date=timezone.localdate(), subject_id=infant.pk, present_ids=(infant.pk,)
        ),
    )
    assert AuditEvent.objects.filter(action="update", object_type="diary.Booking").count() == 1


def test_an_attempt_that_does_not_complete_the_task_leaves_its_booking_open(hv, nbv_family):
    task = nbv_family.tasks.get(kind="new_birth_visit")
    booking = services.book_contact(by=hv, family=nbv_family, data=_data(nbv_family, task=task))
    infant = nbv_family.people.get(role="infant")
    contact_services.record_contact(
        by=hv,
        family=nbv_family,
        task=task,
        data=contact_services.ContactData(
            contact_type="new_birth_visit",
            date=timezone.localdate(),
            subject_id=infant.pk,
            attendance="dna",
        ),
    )
    booking.refresh_from_db()
    assert booking.status == "booked"
