"""The worklist, recording contacts from it and from the family record, cancelling tasks, the team view."""

from __future__ import annotations

import datetime as dt

import pytest

from pimh.contacts import services
from pimh.contacts.models import Contact, Task, TaskEvent
from pimh.core.models import AuditEvent
from tests.conftest import FROZEN_TODAY, make_family

TODAY = FROZEN_TODAY


@pytest.fixture(autouse=True)
def _clock(frozen_clock):
    return frozen_clock


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def task_for(family, title: str, *, start: int, end: int, kind: str = "follow_up", urgent: bool = False) -> Task:
    return services.create_task(
        by=None, family=family, kind=kind, title=title, due_from=days(start), due_by=days(end), urgent=urgent
    )


def contact_post(family, *, on: dt.date = TODAY, **overrides) -> dict:
    infant = family.people.get(role="infant")
    mother = family.people.get(role="birthing_parent")
    data = {
        "contact_type": "new_birth_visit",
        "subject_id": str(infant.pk),
        "date_day": str(on.day),
        "date_month": str(on.month),
        "date_year": str(on.year),
        "time": "",
        "mode": "face_to_face",
        "location": "home",
        "present_ids": [str(infant.pk), str(mother.pk)],
        "others_present": "",
        "attendance": "attended",
        "notes": "All well",
    }
    data.update(overrides)
    return data


@pytest.fixture
def bare_family(hv, team_a):
    """A family of team A with no children, so no scheduled tasks."""
    return make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=None)


def test_worklist_orders_urgent_then_days_overdue_then_due_date(client, hv, bare_family):
    task_for(bare_family, "Due soon", start=-1, end=5)
    task_for(bare_family, "Overdue three days", start=-10, end=-3)
    task_for(bare_family, "Overdue ten days", start=-20, end=-10)
    task_for(bare_family, "Urgent due", start=0, end=6, urgent=True)
    task_for(bare_family, "Not yet due", start=3, end=9)
    client.force_login(hv)
    page = client.get("/work/").content.decode()
    positions = [page.index(title) for title in ("Urgent due", "Overdue ten days", "Overdue three days", "Due soon")]
    assert positions == sorted(positions)
    assert "Not yet due" not in page
    assert "10 days overdue" in page
    assert "3 days overdue" in page


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"kind": "urgent_action"}, {"Call the GP"}, {"Review later", "Missed follow-up"}),
        ({"overdue_only": "on"}, {"Missed follow-up"}, {"Review later", "Call the GP"}),
        ({"due_this_week": "on"}, {"Missed follow-up", "Call the GP"}, {"Review later"}),
        ({}, {"Missed follow-up", "Call the GP", "Review later"}, set()),
    ],
)
def test_worklist_filters(client, hv, bare_family, params, shown, hidden):
    task_for(bare_family, "Missed follow-up", start=-9, end=-2)
    task_for(bare_family, "Call the GP", start=0, end=0, kind="urgent_action")
    task_for(bare_family, "Review later", start=-1, end=40)
    client.force_login(hv)
    page = client.get("/work/", params).content.decode()
    titles = shown | hidden
    assert {title: title in page for title in titles} == {title: title in shown for title in titles}


def test_worklist_shows_only_my_tasks(client, hv, lead, team_a, bare_family):
    theirs = make_family(by=lead, team=team_a, allocated_hv=lead, with_infant_days=None)
    task_for(theirs, "Lead's visit", start=-1, end=3)
    task_for(bare_family, "My visit", start=-1, end=3)
    client.force_login(hv)
    page = client.get("/work/").content.decode()
    assert "My visit" in page
    assert "Lead's visit" not in page


def test_worklist_refreshes_states_on_read(client, hv, bare_family):
    task = task_for(bare_family, "Follow-up", start=-1, end=3)
    Task.objects.filter(pk=task.pk).update(due_from=days(-8), due_by=days(-4))
    client.force_login(hv)
    page = client.get("/work/").content.decode()
    task.refresh_from_db()
    assert task.status == "overdue"
    assert "4 days overdue" in page
    assert task.events.filter(event="refresh", to_status="overdue").exists()


def test_worklist_shows_family_person_and_record_link(client, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    task = family.tasks.get(kind="new_birth_visit")
    client.force_login(hv)
    page = client.get("/work/").content.decode()
    assert f"/families/{family.pk}/" in page
    assert "Robin Testington (12 days)" in page
    assert f"/tasks/{task.pk}/contact/" in page


def test_record_contact_from_the_worklist_completes_the_task(client, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    task = family.tasks.get(kind="new_birth_visit")
    client.force_login(hv)
    form = client.get(f"/tasks/{task.pk}/contact/").content.decode()
    assert 'value="new_birth_visit" selected' in form
    assert f'value="{TODAY.year}"' in form
    response = client.post(f"/tasks/{task.pk}/contact/", contact_post(family), follow=True)
    contact = Contact.objects.get(family=family)
    assert response.redirect_chain == [(f"/contacts/{contact.pk}/recorded/", 302)]
    assert "Contact recorded: New birth visit" in response.content.decode()
    task.refresh_from_db()
    assert task.status == "completed"
    contact = Contact.objects.get(family=family)
    assert task.completed_by == contact
    assert contact.practitioner == hv
    assert contact.present.count() == 2
    assert AuditEvent.objects.filter(user=hv, action="create", family_id=family.pk).exists()
    assert AuditEvent.objects.filter(user=hv, action="read", family_id=family.pk).exists()


def test_a_late_contact_completes_the_task_with_a_note(client, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=40)
    task = family.tasks.get(kind="new_birth_visit")
    client.force_login(hv)
    assert client.post(f"/tasks/{task.pk}/contact/", contact_post(family)).status_code == 302
    task.refresh_from_db()
    assert task.status == "completed"
    late = (TODAY - task.due_by).days
    assert task.events.get(event="complete").note == f"Completed {late} days after the window"


@pytest.mark.parametrize("attendance", ["dna", "cancelled_family", "cancelled_service", "no_access"])
def test_a_contact_that_did_not_happen_leaves_the_task_open_with_an_attempt(client, hv, team_a, attendance):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    task = family.tasks.get(kind="new_birth_visit")
    client.force_login(hv)
    data = contact_post(family, attendance=attendance, present_ids=[])
    assert client.post(f"/tasks/{task.pk}/contact/", data).status_code == 302
    task.refresh_from_db()
    assert task.status == "due"
    attempt = task.events.get(event="attempt")
    assert attempt.contact == Contact.objects.get(family=family, attendance=attendance)
    assert f"/tasks/{task.pk}/contact/" in client.get("/work/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"date_day": str(days(1).day), "date_month": str(days(1).month), "date_year": str(days(1).year)},
            "The date of the contact must be today or in the past",
        ),
        ({"present_ids": []}, "Record who was present"),
        ({"date_day": ""}, "Date of the contact must include a day, month and year"),
        ({"time": "25:99"}, "Enter the time as hours and minutes"),
    ],
)
def test_validation_errors_are_shown_and_nothing_is_saved(client, hv, team_a, overrides, message):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    task = family.tasks.get(kind="new_birth_visit")
    events = TaskEvent.objects.count()
    client.force_login(hv)
    response = client.post(f"/tasks/{task.pk}/contact/", contact_post(family, **overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert not Contact.objects.exists()
    assert TaskEvent.objects.count() == events
    task.refresh_from_db()
    assert task.status == "due"


@pytest.mark.parametrize("persona", ["colleague_b", "outsider"])
def test_a_task_of_another_team_is_not_found(request, client, team_a, hv, persona):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    task = family.tasks.get(kind="new_birth_visit")
    client.force_login(request.getfixturevalue(persona))
    statuses = [
        client.get(f"/tasks/{task.pk}/contact/").status_code,
        client.post(f"/tasks/{task.pk}/contact/", contact_post(family)).status_code,
        client.post(f"/tasks/{task.pk}/cancel/", {"reason": "Moved away"}).status_code,
        client.post(f"/families/{family.pk}/contacts/add/", contact_post(family)).status_code,
    ]
    assert statuses == [404, 404, 404, 404]
    assert not Contact.objects.exists()
    task.refresh_from_db()
    assert task.status == "due"


def test_an_analyst_is_refused_every_contact_page(client, analyst, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    task = family.tasks.get(kind="new_birth_visit")
    client.force_login(analyst)
    urls = ["/work/", "/team/", f"/tasks/{task.pk}/contact/", f"/tasks/{task.pk}/cancel/"]
    assert [client.get(url).status_code for url in urls] == [403, 403, 403, 403]


def test_record_a_contact_from_the_family_record(client, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    client.force_login(hv)
    record = client.get(f"/families/{family.pk}/").content.decode()
    assert "Open tasks" in record
    assert f"/families/{family.pk}/contacts/add/" in record
    data = contact_post(family, contact_type="targeted", notes="Low mood discussed")
    response = client.post(f"/families/{family.pk}/contacts/add/", data, follow=True)
    assert response.redirect_chain == [(f"/families/{family.pk}/", 302)]
    page = response.content.decode()
    assert "Targeted contact recorded" in page
    assert "Targeted contact: attended" in page
    assert family.tasks.get(kind="new_birth_visit").status == "due"


def test_a_mandated_contact_from_the_family_record_completes_its_task(client, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    client.force_login(hv)
    assert client.post(f"/families/{family.pk}/contacts/add/", contact_post(family)).status_code == 302
    assert family.tasks.get(kind="new_birth_visit").status == "completed"
    page = client.get(f"/families/{family.pk}/").content.decode()
    assert "Task completed: New birth visit" in page
    assert "New birth visit: attended" in page


def test_cancel_a_task_needs_a_reason(client, hv, bare_family):
    task = task_for(bare_family, "Follow-up", start=-1, end=3)
    client.force_login(hv)
    refused = client.post(f"/tasks/{task.pk}/cancel/", {"reason": ""})
    assert "Give the reason for cancelling the task" in refused.content.decode()
    task.refresh_from_db()
    assert task.status == "due"
    response = client.post(f"/tasks/{task.pk}/cancel/", {"reason": "Family moved away"}, follow=True)
    assert response.redirect_chain == [("/work/", 302)]
    task.refresh_from_db()
    assert (task.status, task.cancel_reason) == ("cancelled", "Family moved away")
    assert f"/tasks/{task.pk}/cancel/" not in response.content.decode()
    record = client.get(f"/families/{bare_family.pk}/").content.decode()
    assert "Task cancelled: Follow-up" in record


@pytest.mark.parametrize("persona", ["hv", "specialist", "colleague_b"])
def test_the_team_view_is_for_team_leads_only(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/team/").status_code == 403
