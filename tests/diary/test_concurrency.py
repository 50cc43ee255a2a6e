"""Two people acting on one booking at the same moment (PostgreSQL only, as tests/robustness/test_concurrency.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pimh.contacts import services as contact_services
from pimh.contacts.models import Contact
from pimh.diary import services
from pimh.diary.models import Booking
from tests.conftest import USE_POSTGRES, make_family, make_user
from tests.robustness.test_concurrency import at_once

pytestmark = [
    pytest.mark.skipif(not USE_POSTGRES, reason="needs PostgreSQL: SQLite serialises writers"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def nbv(hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    return family, family.tasks.get(kind="new_birth_visit")


def _booking_data(family, task):
    return services.BookingData(
        contact_type=task.kind,
        date=timezone.localdate(),
        time=dt.time(10, 0),
        people_ids=(family.people.get(role="birthing_parent").pk,),
        task_id=task.pk,
    )


def test_two_people_booking_one_task_at_once_make_one_booking(hv, team_a, nbv):
    family, task = nbv
    second = make_user("harry", "hv", team_a)
    results = at_once(
        lambda: services.book_contact(by=hv, family=family, data=_booking_data(family, task)),
        lambda: services.book_contact(by=second, family=family, data=_booking_data(family, task)),
    )
    assert sorted(type(r).__name__ for r in results) == ["Booking", "ValidationError"]
    assert Booking.objects.filter(task=task).count() == 1


def test_recording_and_cancelling_one_booking_at_once_one_is_refused(hv, team_a, nbv):
    family, task = nbv
    booking = services.book_contact(by=hv, family=family, data=_booking_data(family, task))
    second = make_user("harry", "hv", team_a)
    infant = family.people.get(role="infant").pk
    visit = contact_services.ContactData(
        contact_type="new_birth_visit", date=timezone.localdate(), subject_id=infant, present_ids=(infant,)
    )
    seen_a, seen_b = Booking.objects.get(pk=booking.pk), Booking.objects.get(pk=booking.pk)
    results = at_once(
        lambda: services.record_from_booking(by=hv, booking=seen_a, data=visit),
        lambda: services.cancel_booking(by=second, booking=seen_b, reason="Family cancelled by phone"),
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1
    assert "This booking is already" in " ".join(refused[0].messages)
    booking.refresh_from_db()
    assert (booking.status, Contact.objects.filter(family=family).count()) in {("done", 1), ("cancelled", 0)}
