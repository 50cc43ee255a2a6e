"""Contact and task services: completion, attempts, closed tasks, loss, reallocation, refresh, expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pimh.contacts import schedule, services
from pimh.contacts.models import Contact, Task, TaskEvent
from pimh.families import services as family_services
from pimh.families.models import Family, PersonRole
from tests.conftest import make_family, make_user, person_data


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def infant(family_a):
    return family_a.people.get(role=PersonRole.INFANT)


@pytest.fixture
def nbv(family_a):
    return family_a.tasks.get(kind="new_birth_visit")


def contact_data(infant, family, on):
    """An attended new birth visit with the whole family present."""
    present = tuple(family.people.values_list("pk", flat=True))
    return services.ContactData(contact_type="new_birth_visit", date=on, subject_id=infant.pk, present_ids=present)


def missed_data(infant, on, attendance):
    """A new birth visit that did not happen: nobody present."""
    return services.ContactData(contact_type="new_birth_visit", date=on, attendance=attendance, subject_id=infant.pk)


def history(task):
    return list(TaskEvent.objects.filter(task=task).values_list("event", "from_status", "to_status", "note"))


def test_registration_of_a_baby_schedules_its_tasks(family_a, hv, infant):
    assert sorted(family_a.tasks.values_list("kind", "status", "assigned_to", "person")) == [
        ("new_birth_visit", "overdue", hv.pk, infant.pk),
        ("six_to_eight_week", "upcoming", hv.pk, infant.pk),
        ("twelve_month", "upcoming", hv.pk, infant.pk),
        ("two_to_two_and_half_year", "upcoming", hv.pk, infant.pk),
    ]


def test_a_late_contact_completes_the_task_with_a_note_and_history(family_a, hv, infant, nbv, today):
    on = today - days(2)
    contact = services.record_contact(by=hv, family=family_a, data=contact_data(infant, family_a, on))
    nbv.refresh_from_db()
    late = (on - nbv.due_by).days
    assert late == 24
    assert (nbv.status, nbv.completed_by) == ("completed", contact)
    assert contact.csds_activity_code == "08"
    assert history(nbv) == [
        ("created", "", "overdue", ""),
        ("complete", "overdue", "completed", "Completed 24 days after the window"),
    ]
    assert TaskEvent.objects.get(task=nbv, event="complete").contact == contact


@pytest.mark.parametrize(
    ("attendance", "note"),
    [("dna", "Did not attend"), ("cancelled_family", "Cancelled by the family"), ("no_access", "No access")],
)
def test_a_contact_that_did_not_happen_leaves_the_task_open_with_an_attempt(
    family_a, hv, infant, nbv, today, attendance, note
):
    contact = services.record_contact(by=hv, family=family_a, data=missed_data(infant, today, attendance))
    nbv.refresh_from_db()
    assert (nbv.status, nbv.completed_by) == ("overdue", None)
    assert history(nbv)[-1] == ("attempt", "overdue", "overdue", note)
    assert TaskEvent.objects.get(task=nbv, event="attempt").contact == contact


def test_completing_a_closed_task_is_refused_and_changes_nothing(family_a, hv, infant, nbv, today):
    services.cancel_task(by=hv, task=nbv, reason="Moved out of area")
    events = history(nbv)
    contacts = Contact.objects.count()
    with pytest.raises(ValidationError):
        services.complete_task(by=hv, task=Task.objects.get(pk=nbv.pk), note="again")
    with pytest.raises(ValidationError):
        services.record_contact(
            by=hv, family=family_a, data=contact_data(infant, family_a, today), task=Task.objects.get(pk=nbv.pk)
        )
    nbv.refresh_from_db()
    assert (nbv.status, nbv.completed_by, nbv.cancel_reason) == ("cancelled", None, "Moved out of area")
    assert history(nbv) == events
    assert Contact.objects.count() == contacts


def test_cancelling_needs_a_reason(nbv, hv):
    with pytest.raises(ValidationError):
        services.cancel_task(by=hv, task=nbv, reason="  ")
    nbv.refresh_from_db()
    assert nbv.status == "overdue"


def test_pregnancy_loss_cancels_the_antenatal_task_and_schedules_nothing_more(hv, team_a, today):
    family = family_services.register_family(
        by=hv,
        team=team_a,
        allocated_hv=hv,
        details=family_services.FamilyDetails(imd_decile=2),
        parent=person_data(),
        edd=today + days(60),
    )
    pregnancy = family.pregnancies.get()
    task = pregnancy.tasks.get()
    assert (task.kind, task.status) == ("antenatal", "due")

    family_services.record_pregnancy_loss(by=hv, pregnancy=pregnancy, on=today)
    task.refresh_from_db()
    assert (task.status, task.cancel_reason) == ("cancelled", "Pregnancy loss")
    assert history(task)[-1] == ("cancel", "due", "cancelled", "Pregnancy loss")
    assert services.schedule_tasks(by=hv, families=Family.objects.filter(pk=family.pk)) == 0
    assert not pregnancy.tasks.filter(status__in=["upcoming", "due", "overdue"]).exists()


def test_reallocation_moves_open_tasks_only(family_a, hv, team_a, lead, nbv):
    services.cancel_task(by=hv, task=nbv, reason="Seen by another provider")
    newcomer = make_user("nadia", "hv", team_a)
    family_services.allocate(by=lead, family=family_a, health_visitor=newcomer)
    assert set(family_a.tasks.filter(status="upcoming").values_list("assigned_to", flat=True)) == {newcomer.pk}
    assert family_a.tasks.get(pk=nbv.pk).assigned_to == hv
    assert TaskEvent.objects.filter(task__family=family_a, event="reassign").count() == 3


def stale_tasks(family, count: int, today: dt.date) -> None:
    """Tasks whose stored state is wrong for today, covering every calendar move."""
    windows = [
        (today - days(30), today - days(20), today - days(10), "due"),  # -> expired
        (today - days(30), today - days(20), today + days(10), "due"),  # -> overdue
        (today - days(3), today + days(3), None, "upcoming"),  # -> due
        (today + days(3), today + days(9), None, "due"),  # -> upcoming
        (today + days(3), today + days(9), None, "upcoming"),  # unchanged
    ]
    Task.objects.bulk_create(
        Task(
            family=family,
            kind="other",
            title=f"Task {i}",
            due_from=windows[i % 5][0],
            due_by=windows[i % 5][1],
            expires_on=windows[i % 5][2],
            status=windows[i % 5][3],
        )
        for i in range(count)
    )


@pytest.mark.parametrize("count", [10, 100])
def test_refresh_statuses_moves_every_state_with_history(hv, team_a, today, count):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=None)
    stale_tasks(family, count, today)
    assert services.refresh_statuses(today=today) == count * 4 // 5
    assert sorted(set(family.tasks.values_list("status", flat=True))) == [
        "due",
        "expired",
        "overdue",
        "upcoming",
    ]
    assert TaskEvent.objects.filter(task__family=family, event="refresh").count() == count * 4 // 5
    assert services.refresh_statuses(today=today) == 0


def test_refresh_statuses_uses_the_same_number_of_queries_for_10_and_100_tasks(hv, team_a, today):
    counts = []
    for n in (10, 100):
        family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=None)
        stale_tasks(family, n, today)
        with CaptureQueriesContext(connection) as queries:
            services.refresh_statuses(tasks=family.tasks.all(), today=today)
        counts.append(len(queries))
    assert counts[0] == counts[1]


DOB = dt.date(2024, 1, 31)
EDD = dt.date(2024, 2, 10)


@pytest.mark.parametrize(
    ("contact", "expires_on"),
    [
        ("new_birth_visit", DOB + days(42)),
        ("six_to_eight_week", DOB + days(84)),
        ("twelve_month", dt.date(2025, 4, 30)),  # 15 months, clamped to the month's end
        ("two_to_two_and_half_year", dt.date(2027, 1, 31)),  # 36 months
    ],
)
def test_postnatal_expiry(contact, expires_on):
    assert {w.contact: w.expires_on for w in schedule.windows(dob=DOB)}[contact] == expires_on


def test_antenatal_expires_14_days_after_the_edd_before_birth_and_at_the_birth_after():
    assert schedule.windows(edd=EDD)[0].expires_on == EDD + days(14)
    assert {w.contact: w.expires_on for w in schedule.windows(edd=EDD, dob=DOB)}["antenatal"] == DOB


def test_refresh_reads_only_tasks_due_to_change_and_agrees_with_the_calendar(hv, team_a, today):
    """Every open state x every window position: the state after a refresh is ``status_on``'s, and a
    second refresh selects nothing (the refresh conditions read only the tasks whose state must move)."""
    from pimh.contacts.task_states import OPEN, status_on

    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=None)
    offsets = [-20, -10, -1, 0, 1, 10]
    windows = [
        (today + days(a), today + days(b), None if e is None else today + days(e))
        for a in offsets
        for b in offsets
        if a <= b
        for e in [None, *[o for o in offsets if o >= b]]
    ]
    Task.objects.bulk_create(
        Task(family=family, kind="other", title="t", due_from=f, due_by=b, expires_on=e, status=s.value)
        for f, b, e in windows
        for s in OPEN
    )
    services.refresh_statuses(today=today)
    found = {(t.due_from, t.due_by, t.expires_on, t.status) for t in family.tasks.all()}
    expected = {(f, b, e, status_on(due_from=f, due_by=b, expires_on=e, today=today).value) for f, b, e in windows}
    assert found == expected
    assert [Task.objects.filter(condition).count() for _, condition in services.due_to_change(today)] == [0] * 5
