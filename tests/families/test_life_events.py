"""Life events through the services: move in, move out or transfer, death, looked after (issue 8, defect 8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pimh.contacts import schedule
from pimh.contacts import services as contact_services
from pimh.contacts.models import Task, TaskEvent
from pimh.core.models import AuditEvent
from pimh.families import life_events, services
from pimh.families.models import LifeEvent, Person, PersonRole, Relationship, responsible_on
from tests.conftest import make_family, person_data

TODAY = timezone.localdate


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def open_kinds(person):
    return sorted(
        Task.objects.filter(person=person, status__in=["upcoming", "due", "overdue"]).values_list("kind", flat=True)
    )


@pytest.fixture
def infant(family_a):
    return family_a.people.get(role=PersonRole.INFANT)


@pytest.fixture
def twins(hv, team_a):
    """A family with twins born 20 days ago, each with its own scheduled tasks."""
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=None)
    mother = family.people.get(role=PersonRole.BIRTHING_PARENT)
    pregnancy = services.add_pregnancy(by=hv, family=family, mother=mother, edd=TODAY() - days(10))
    born = TODAY() - days(20)
    first, second = services.record_live_birth(
        by=hv,
        pregnancy=pregnancy,
        infants=[
            person_data("infant", date_of_birth=born),
            person_data("infant", given_name="Sky", date_of_birth=born),
        ],
    )
    return family, first, second


# ---- the schedule: which mandated contacts were due before a move (pure) --------------------------


def test_due_before_a_move_in_edges():
    dob = dt.date(2026, 1, 1)
    nbv_end = dob + days(14)  # new birth visit window: day 10 to 14
    assert schedule.due_before(dob, nbv_end) == []
    assert [w.contact for w in schedule.due_before(dob, nbv_end + days(1))] == ["new_birth_visit"]
    assert [w.contact for w in schedule.due_before(dob, dob + days(57))] == ["new_birth_visit", "six_to_eight_week"]
    assert [w.contact for w in schedule.due_before(dob, dt.date(2027, 1, 2))] == [
        "new_birth_visit",
        "six_to_eight_week",
        "twelve_month",
    ]


# ---- move in ----------------------------------------------------------------------------------------


def test_move_in_creates_a_transfer_in_task_naming_the_contacts_due_before_the_move(hv, family_a):
    child = services.add_person(
        by=hv, family=family_a, data=person_data("infant", given_name="Kit", date_of_birth=TODAY() - days(100))
    )
    moved_in = TODAY() - days(3)
    event = life_events.record_move_in(by=hv, person=child, on=moved_in, previous_provider="Elsewhere HV service")

    child.refresh_from_db()
    assert (child.responsible_from, child.responsible_until) == (moved_in, None)
    assert child.responsibility_start == moved_in
    task = Task.objects.get(person=child, kind="transfer_in")
    assert (task.due_from, task.due_by, task.status, task.assigned_to) == (moved_in, moved_in + days(14), "due", hv)
    assert task.title == (
        "Transfer-in contact (due before the move, check they happened: New birth visit, 6 to 8 week review)"
    )
    assert (event.kind, event.on, event.note) == ("moved_in", moved_in, "Elsewhere HV service")
    audit = AuditEvent.objects.get(object_type="families.LifeEvent", object_id=str(event.pk))
    assert audit.detail == {"kind": "moved_in", "missed": ["new_birth_visit", "six_to_eight_week"]}
    assert [w.contact for w in life_events.missed_before_move_in(child)] == ["new_birth_visit", "six_to_eight_week"]


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (TODAY() + days(1), "today or in the past"),
        (TODAY() - days(41), "before the child's date of birth"),
    ],
)
def test_move_in_refuses_a_bad_date_and_changes_nothing(hv, infant, on, message):
    before = (Task.objects.count(), LifeEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        life_events.record_move_in(by=hv, person=infant, on=on)
    assert message in error.value.message_dict["moved_in_on"][0]
    assert (Task.objects.count(), LifeEvent.objects.count(), AuditEvent.objects.count()) == before


def test_move_in_is_for_children_only(hv, family_a):
    mother = family_a.people.get(role=PersonRole.BIRTHING_PARENT)
    with pytest.raises(ValidationError) as error:
        life_events.record_move_in(by=hv, person=mother, on=TODAY())
    assert error.value.message_dict == {"moved_in_on": ["This is recorded for a child in the family"]}


# ---- move out or transfer ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "reason"), [("moved_out", "Moved out of the area"), ("transferred", "Transferred to another provider")]
)
def test_move_out_closes_open_tasks_with_the_reason_and_ends_responsibility(hv, family_a, infant, kind, reason):
    nbv = family_a.tasks.get(kind="new_birth_visit")
    contact_services.complete_task(by=hv, task=nbv)
    open_before = open_kinds(infant)
    assert open_before == ["six_to_eight_week", "twelve_month", "two_to_two_and_half_year"]
    on = TODAY() - days(1)

    life_events.record_move_out(by=hv, person=infant, on=on, kind=kind, note="Northtown")

    infant.refresh_from_db()
    assert infant.responsible_until == on
    assert open_kinds(infant) == []
    label = f"{reason} on {on:%d %b %Y}"
    cancelled = Task.objects.filter(person=infant, status="cancelled")
    assert sorted(cancelled.values_list("kind", "cancel_reason")) == [(k, label) for k in open_before]
    assert set(TaskEvent.objects.filter(task__in=cancelled, event="cancel").values_list("note", flat=True)) == {label}
    nbv.refresh_from_db()
    assert nbv.status == "completed"  # a closed task is left as it was
    assert contact_services.schedule_tasks(by=hv, families=family_a.__class__.objects.filter(pk=family_a.pk)) == 0
    assert LifeEvent.objects.get(person=infant).kind == kind


def test_move_out_cannot_be_recorded_twice_or_before_the_move_in(hv, infant):
    assert (infant.responsibility_start, infant.looked_after) == (infant.date_of_birth, False)
    life_events.record_move_in(by=hv, person=infant, on=TODAY() - days(10))
    with pytest.raises(ValidationError) as error:
        life_events.record_move_out(by=hv, person=infant, on=TODAY() - days(11), kind="moved_out")
    assert error.value.message_dict == {"moved_out_on": ["The date must not be before the child moved in"]}
    life_events.record_move_out(by=hv, person=infant, on=TODAY(), kind="moved_out")
    with pytest.raises(ValidationError) as error:
        life_events.record_move_out(by=hv, person=infant, on=TODAY(), kind="transferred")
    assert "already recorded" in error.value.message_dict["moved_out_on"][0]


def test_a_child_who_moves_back_is_prompted_again_for_every_window_still_open(hv, family_a, infant):
    """The 40-day-old's new birth visit was done; the other contacts closed at the move out come back."""
    contact_services.complete_task(by=hv, task=family_a.tasks.get(kind="new_birth_visit"))
    life_events.record_move_out(by=hv, person=infant, on=TODAY() - days(5), kind="moved_out")
    assert open_kinds(infant) == []
    life_events.record_move_in(by=hv, person=infant, on=TODAY())
    infant.refresh_from_db()
    assert (infant.responsible_from, infant.responsible_until) == (TODAY(), None)
    assert open_kinds(infant) == ["six_to_eight_week", "transfer_in", "twelve_month", "two_to_two_and_half_year"]
    restored = Task.objects.get(person=infant, kind="six_to_eight_week", status="upcoming")
    assert (restored.due_from, restored.source) == (infant.date_of_birth + days(42), "life-event:moved_in")
    assert contact_services.schedule_tasks(by=hv, families=family_a.__class__.objects.filter(pk=family_a.pk)) == 0


QUARTER_END = dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("fields", "responsible"),
    [
        ({}, True),
        ({"responsible_from": QUARTER_END}, True),
        ({"responsible_from": QUARTER_END + days(1)}, False),
        ({"responsible_until": QUARTER_END}, False),
        ({"responsible_until": QUARTER_END + days(1)}, True),
        ({"date_of_death": QUARTER_END}, False),
        ({"date_of_death": QUARTER_END + days(1)}, True),
        ({"responsible_from": dt.date(2026, 4, 1), "responsible_until": dt.date(2026, 5, 1)}, False),
    ],
)
def test_responsible_at_quarter_end(infant, fields, responsible):
    """Analytics count children who were the provider's responsibility on the quarter's last day (C4-C6i)."""
    Person.objects.filter(pk=infant.pk).update(**fields)
    infant.refresh_from_db()
    assert infant.is_responsible_on(QUARTER_END) is responsible
    assert Person.objects.filter(responsible_on(QUARTER_END), pk=infant.pk).exists() is responsible


# ---- death ------------------------------------------------------------------------------------------


def test_death_of_one_twin_stops_that_twins_prompts_only(client, hv, twins):
    family, first, second = twins
    second_open = open_kinds(second)
    assert (
        open_kinds(first)
        == second_open
        == ["new_birth_visit", "six_to_eight_week", "twelve_month", "two_to_two_and_half_year"]
    )
    died = TODAY() - days(2)

    life_events.record_death(by=hv, person=first, on=died)

    assert open_kinds(first) == []
    assert set(Task.objects.filter(person=first).values_list("status", "cancel_reason")) == {
        ("cancelled", "Not applicable: the child has died")
    }
    assert open_kinds(second) == second_open
    assert not TaskEvent.objects.filter(task__person=second, event="cancel").exists()
    assert contact_services.schedule_tasks(by=hv, families=family.__class__.objects.filter(pk=family.pk)) == 0
    first.refresh_from_db()
    assert first.date_of_death == died and first.prompts_stopped
    client.force_login(hv)
    page = client.get(f"/families/{family.pk}/").content.decode()
    assert "Bereavement" in page
    assert f"{first.full_name} died on {died:%d %b %Y}" in page
    assert page.count(f"Every prompt for {first.given_name} has stopped") == 2  # the banner and the timeline
    assert f'href="/people/{first.pk}/death/"' not in page
    assert f'href="/people/{second.pk}/death/"' in page


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (TODAY() + days(1), "today or in the past"),
        (TODAY() - days(21), "before the child's date of birth"),
    ],
)
def test_death_refuses_a_bad_date_and_changes_nothing(hv, twins, on, message):
    _, first, _ = twins
    with pytest.raises(ValidationError) as error:
        life_events.record_death(by=hv, person=first, on=on)
    assert message in error.value.message_dict["date_of_death"][0]
    first.refresh_from_db()
    assert first.date_of_death is None
    assert len(open_kinds(first)) == 4


def test_death_cannot_be_recorded_twice_and_stops_other_life_events(hv, twins):
    _, first, _ = twins
    life_events.record_death(by=hv, person=first, on=TODAY())
    for call in (
        lambda: life_events.record_death(by=hv, person=first, on=TODAY()),
        lambda: life_events.record_move_in(by=hv, person=first, on=TODAY()),
    ):
        with pytest.raises(ValidationError, match="death is recorded"):
            call()


# ---- looked after -----------------------------------------------------------------------------------


def test_looked_after_records_the_carer_with_parental_responsibility_shown_first(client, hv, family_a, infant):
    carer = services.add_person(
        by=hv, family=family_a, data=person_data("other_carer", given_name="Fern", family_name="Zeller")
    )
    since = TODAY() - days(7)
    life_events.record_looked_after(by=hv, person=infant, carer=carer, on=since)

    infant.refresh_from_db()
    assert (infant.carer_with_pr, infant.carer_from, infant.looked_after_from) == (carer, since, since)
    assert infant.looked_after
    assert Relationship.objects.get(adult=carer, child=infant).kind == "foster_carer"
    client.force_login(hv)
    page = client.get(f"/families/{family_a.pk}/").content.decode()
    mother = family_a.people.get(role=PersonRole.BIRTHING_PARENT)
    assert page.index("Fern Zeller") < page.index(mother.full_name)
    assert f"Carer with parental responsibility for {infant.given_name} from {since:%d %b %Y}" in page


def test_a_change_of_carer_is_dated_and_cannot_go_back_in_time(hv, family_a, infant):
    first = services.add_person(by=hv, family=family_a, data=person_data("other_carer", given_name="Fern"))
    second = services.add_person(by=hv, family=family_a, data=person_data("other_carer", given_name="Gale"))
    life_events.record_looked_after(by=hv, person=infant, carer=first, on=TODAY() - days(20))
    life_events.record_looked_after(
        by=hv, person=infant, carer=second, on=TODAY() - days(5), relationship="grandparent"
    )
    infant.refresh_from_db()
    assert (infant.carer_with_pr, infant.carer_from, infant.looked_after_from) == (
        second,
        TODAY() - days(5),
        TODAY() - days(20),
    )
    assert list(LifeEvent.objects.filter(person=infant).values_list("carer__given_name", flat=True)) == ["Gale", "Fern"]
    with pytest.raises(ValidationError) as error:
        life_events.record_looked_after(by=hv, person=infant, carer=first, on=TODAY() - days(6))
    assert error.value.message_dict == {"carer_from": ["The date must not be before the current carer's"]}


def test_the_carer_must_be_an_adult_in_the_family(hv, infant, family_b):
    outsider = family_b.people.get(role=PersonRole.BIRTHING_PARENT)
    with pytest.raises(ValidationError) as error:
        life_events.record_looked_after(by=hv, person=infant, carer=outsider, on=TODAY())
    assert "Choose an adult in this family" in error.value.message_dict["carer"][0]
    infant.refresh_from_db()
    assert infant.carer_with_pr is None


def test_end_of_looked_after_status_stops_showing_the_carer_first(client, hv, family_a, infant):
    carer = services.add_person(
        by=hv, family=family_a, data=person_data("other_carer", given_name="Fern", family_name="Zeller")
    )
    life_events.record_looked_after(by=hv, person=infant, carer=carer, on=TODAY() - days(10))
    with pytest.raises(ValidationError) as error:
        life_events.end_looked_after(by=hv, person=infant, on=TODAY() - days(11))
    assert error.value.message_dict == {"ended_on": ["The date must not be before the current carer's"]}

    life_events.end_looked_after(by=hv, person=infant, on=TODAY(), note="Returned home")

    infant.refresh_from_db()
    assert (infant.looked_after, infant.carer_from, infant.looked_after_from) == (False, None, None)
    event = LifeEvent.objects.get(kind="looked_after_ended")
    assert (event.carer, event.on, event.note) == (carer, TODAY(), "Returned home")
    client.force_login(hv)
    page = client.get(f"/families/{family_a.pk}/").content.decode()
    mother = family_a.people.get(role=PersonRole.BIRTHING_PARENT)
    assert page.index(mother.full_name) < page.index("Fern Zeller")
    assert "Carer with parental responsibility for" not in page
    with pytest.raises(ValidationError, match="not recorded as looked after"):
        life_events.end_looked_after(by=hv, person=infant, on=TODAY())
