"""Corrected dates move open tasks only (defect 9); a birth before 28 weeks (defect 11)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pimh.contacts import schedule
from pimh.contacts import services as contact_services
from pimh.contacts.models import Task, TaskEvent
from pimh.families import life_events, services
from pimh.families.models import LifeEvent, PersonRole
from tests.conftest import make_family, person_data

TODAY = timezone.localdate


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def windows_of(tasks):
    return {t.kind: (t.due_from, t.due_by, t.expires_on) for t in tasks}


def expected(found):
    return {w.contact: (w.window_start, w.window_end, w.expires_on) for w in found}


@pytest.fixture
def infant(family_a):
    return family_a.people.get(role=PersonRole.INFANT)


@pytest.fixture
def pregnant(hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=None)
    mother = family.people.get(role=PersonRole.BIRTHING_PARENT)
    return services.add_pregnancy(by=hv, family=family, mother=mother, edd=TODAY() + days(70))


def test_dob_correction_moves_only_the_open_tasks_with_a_history_row(hv, family_a, infant):
    nbv = family_a.tasks.get(kind="new_birth_visit")
    contact_services.complete_task(by=hv, task=nbv)
    closed_before = (nbv.due_from, nbv.due_by, nbv.expires_on, nbv.status)
    open_tasks = list(Task.objects.filter(person=infant).exclude(pk=nbv.pk))
    old_dob = infant.date_of_birth
    new_dob = old_dob + days(7)

    life_events.correct_date_of_birth(by=hv, person=infant, date_of_birth=new_dob)

    nbv.refresh_from_db()
    assert (nbv.due_from, nbv.due_by, nbv.expires_on, nbv.status) == closed_before
    assert not TaskEvent.objects.filter(task=nbv, event="reschedule").exists()
    moved = Task.objects.filter(pk__in=[t.pk for t in open_tasks])
    new_windows = {k: v for k, v in expected(schedule.windows(dob=new_dob)).items() if k != "new_birth_visit"}
    assert windows_of(moved) == new_windows
    for task in open_tasks:
        event = TaskEvent.objects.get(task=task, event="reschedule")
        assert event.note == (f"Date of birth corrected; was {task.due_from.isoformat()} to {task.due_by.isoformat()}")
        assert event.by == hv
    assert TaskEvent.objects.filter(event="reschedule").count() == len(open_tasks) == 3
    correction = LifeEvent.objects.get(person=infant, kind="dob_corrected")
    assert (correction.on, correction.note) == (new_dob, f"Was {old_dob:%d %b %Y}")


def test_dob_correction_changes_the_state_with_the_window(hv, family_a, infant):
    """The 6-8 week review of a 40-day-old is upcoming; a date of birth 5 days earlier makes it due."""
    task = family_a.tasks.get(kind="six_to_eight_week")
    assert task.status == "upcoming"
    life_events.correct_date_of_birth(by=hv, person=infant, date_of_birth=infant.date_of_birth - days(5))
    task.refresh_from_db()
    assert task.status == "due"
    assert TaskEvent.objects.get(task=task, event="reschedule").to_status == "due"


def test_dob_correction_on_the_person_page_moves_the_windows(client, hv, family_a, infant):
    new_dob = infant.date_of_birth - days(3)
    client.force_login(hv)
    response = client.post(
        f"/people/{infant.pk}/edit/",
        {
            "role": "infant",
            "given_name": infant.given_name,
            "family_name": infant.family_name,
            "nhs_number": infant.nhs_number,
            "date_of_birth_day": new_dob.day,
            "date_of_birth_month": new_dob.month,
            "date_of_birth_year": new_dob.year,
            "sex": infant.sex,
            "ethnic_category": infant.ethnic_category,
            "version": infant.version,
        },
    )
    assert response.status_code == 302
    twelve = family_a.tasks.get(kind="twelve_month")
    assert windows_of([twelve]) == {"twelve_month": expected(schedule.windows(dob=new_dob))["twelve_month"]}
    assert TaskEvent.objects.filter(task=twelve, event="reschedule").count() == 1


def test_an_unchanged_dob_moves_nothing(hv, infant):
    services.update_person(
        by=hv,
        person=infant,
        data=person_data(
            "infant", given_name="Renamed", nhs_number=infant.nhs_number, date_of_birth=infant.date_of_birth
        ),
    )
    assert not TaskEvent.objects.filter(event="reschedule").exists()
    assert not LifeEvent.objects.filter(kind="dob_corrected").exists()


def test_edd_correction_moves_the_open_antenatal_window_with_a_history_row(hv, pregnant):
    task = pregnant.tasks.get(kind="antenatal")
    assert task.status == "due"  # 70 days before the EDD is after 28 weeks
    old = (task.due_from, task.due_by)
    new_edd = pregnant.edd + days(21)

    life_events.correct_edd(by=hv, pregnancy=pregnant, edd=new_edd)

    task.refresh_from_db()
    assert windows_of([task]) == expected(schedule.windows(edd=new_edd))
    assert task.status == "upcoming"
    event = TaskEvent.objects.get(task=task, event="reschedule")
    assert (event.from_status, event.to_status) == ("due", "upcoming")
    assert event.note == f"EDD corrected; was {old[0].isoformat()} to {old[1].isoformat()}"
    pregnant.refresh_from_db()
    assert pregnant.edd == new_edd
    assert LifeEvent.objects.get(kind="edd_corrected").pregnancy == pregnant


def test_edd_correction_leaves_a_closed_task_alone(hv, pregnant):
    task = pregnant.tasks.get(kind="antenatal")
    contact_services.complete_task(by=hv, task=task)
    old_edd = pregnant.edd
    life_events.correct_edd(by=hv, pregnancy=pregnant, edd=old_edd - days(7))
    task.refresh_from_db()
    assert (task.status, task.due_by) == ("completed", old_edd)
    assert not TaskEvent.objects.filter(task=task, event="reschedule").exists()


@pytest.mark.parametrize(
    ("edd", "message"),
    [
        (TODAY() + dt.timedelta(weeks=44, days=1), "within 44 weeks"),
        (TODAY() + days(70), "already recorded"),
    ],
)
def test_edd_correction_refuses_bad_dates_and_changes_nothing(hv, pregnant, edd, message):
    with pytest.raises(ValidationError) as error:
        life_events.correct_edd(by=hv, pregnancy=pregnant, edd=edd)
    assert message in error.value.message_dict["edd"][0]
    pregnant.refresh_from_db()
    assert pregnant.edd == TODAY() + days(70)
    assert not TaskEvent.objects.filter(event="reschedule").exists()


def test_edd_cannot_be_corrected_after_the_outcome(hv, pregnant):
    services.record_pregnancy_loss(by=hv, pregnancy=pregnant, on=TODAY())
    with pytest.raises(ValidationError, match="already has an outcome"):
        life_events.correct_edd(by=hv, pregnancy=pregnant, edd=pregnant.edd + days(7))


# ---- birth before 28 weeks (defect 11) ---------------------------------------------------------------


def _born_today(hv, team_a, weeks_to_edd: int):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=None)
    mother = family.people.get(role=PersonRole.BIRTHING_PARENT)
    pregnancy = services.add_pregnancy(
        by=hv, family=family, mother=mother, edd=TODAY() + dt.timedelta(weeks=weeks_to_edd)
    )
    task = pregnancy.tasks.get(kind="antenatal")
    services.record_live_birth(by=hv, pregnancy=pregnancy, infants=[person_data("infant", date_of_birth=TODAY())])
    task.refresh_from_db()
    return task


def test_birth_before_28_weeks_cancels_the_antenatal_task_as_not_applicable(hv, team_a):
    task = _born_today(hv, team_a, weeks_to_edd=13)  # born at 27 weeks: the window opens at 28
    assert (task.status, task.cancel_reason) == ("cancelled", "Not applicable: born before 28 weeks of pregnancy")
    event = TaskEvent.objects.get(task=task, event="cancel")
    assert (event.from_status, event.note) == ("upcoming", "Not applicable: born before 28 weeks of pregnancy")
    contact_services.refresh_statuses(today=TODAY() + days(120))
    task.refresh_from_db()
    assert task.status == "cancelled"  # never "expired"


def test_birth_at_exactly_28_weeks_keeps_the_antenatal_task_due_on_the_birth_day(hv, team_a):
    task = _born_today(hv, team_a, weeks_to_edd=12)
    assert (task.status, task.due_from, task.due_by, task.cancel_reason) == ("due", TODAY(), TODAY(), "")
