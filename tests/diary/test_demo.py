"""The diary demo step and the demo families' contact details."""

from __future__ import annotations

import pytest
from django.utils import timezone

from pimh.demo.loader import load_demo
from pimh.diary.models import Booking
from pimh.families.contact_details import phone_value, postcode_value
from pimh.families.models import Family


@pytest.fixture
def demo(db):
    return load_demo(seed=3, children=300)


def test_health_visitors_have_bookings_for_open_tasks_of_their_families(demo):
    bookings = list(Booking.objects.select_related("task", "practitioner"))
    assert demo.counts["bookings"] == len(bookings) > 0
    assert {b.practitioner.role for b in bookings} <= {"hv", "sphv"}
    assert all(b.task.assigned_to_id == b.practitioner_id and b.task.is_open for b in bookings)
    assert all(b.date >= timezone.localdate() and b.people.exists() for b in bookings)


def test_demo_families_have_well_formed_contact_details(demo):
    families = list(Family.objects.all())
    assert [f.postcode for f in families if postcode_value(f.postcode) != f.postcode] == []
    assert [f.phone for f in families if f.phone and phone_value(f.phone) != f.phone] == []
    assert any(f.alerts for f in families)
