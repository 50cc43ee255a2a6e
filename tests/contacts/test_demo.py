"""The contacts demo step: past contacts near the England calibration, tasks consistent with them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F
from django.utils import timezone

from pimh.contacts.models import Attendance, Contact, Task, TaskEvent
from pimh.contacts.services import refresh_statuses
from pimh.demo.loader import load_demo
from pimh.families.models import Person, PersonRole


@pytest.fixture
def demo(db):
    return load_demo(seed=3, children=300)


def test_counts_are_reported(demo):
    assert demo.counts["contacts"] == Contact.objects.count() > 0
    assert demo.counts["tasks"] == Task.objects.count() > 0


def test_new_birth_visits_within_14_days_are_near_the_england_value(demo):
    today = timezone.localdate()
    infants = Person.objects.filter(role=PersonRole.INFANT, date_of_birth__lte=today - dt.timedelta(days=30))
    within = (
        Contact.objects.filter(
            contact_type="new_birth_visit",
            attendance=Attendance.ATTENDED,
            mode="face_to_face",
            subject__in=infants,
            date__lte=F("subject__date_of_birth") + dt.timedelta(days=14),
        )
        .values("subject")
        .distinct()
        .count()
    )
    assert 0.70 <= within / infants.count() <= 0.95


def test_some_families_did_not_attend_before_a_later_visit(demo):
    attended = Contact.objects.filter(attendance=Attendance.ATTENDED).count()
    missed = Contact.objects.filter(attendance=Attendance.DID_NOT_ATTEND).count()
    assert 0.02 <= missed / attended <= 0.20


def test_every_completed_task_has_its_contact_and_history(demo):
    completed = Task.objects.filter(status="completed")
    assert completed.exists()
    assert not completed.filter(completed_by__isnull=True).exists()
    assert not completed.exclude(completed_by__contact_type=F("kind")).exists()
    assert not completed.exclude(completed_by__attendance=Attendance.ATTENDED).exists()
    assert TaskEvent.objects.filter(event="complete", task__in=completed).count() == completed.count()
    assert TaskEvent.objects.filter(event="created").count() == Task.objects.count()
    assert not Task.objects.filter(status__in=["upcoming", "due", "overdue"], completed_by__isnull=False).exists()


def test_contacts_are_by_the_allocated_health_visitor_with_who_was_present(demo):
    assert not Contact.objects.exclude(practitioner=F("family__allocated_hv")).exists()
    attended = Contact.objects.filter(attendance=Attendance.ATTENDED)
    assert not attended.filter(present__isnull=True).exists()
    assert not attended.filter(contact_type="new_birth_visit").exclude(csds_activity_code="08").exists()
    assert not Contact.objects.filter(date__gt=timezone.localdate()).exists()


def test_open_task_states_are_those_of_today(demo):
    assert refresh_statuses() == 0


def test_hv1_has_due_or_overdue_tasks(demo):
    assert Task.objects.filter(assigned_to__username="hv1", status__in=["due", "overdue"]).exists()
