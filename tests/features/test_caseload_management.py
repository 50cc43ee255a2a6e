"""Caseload management: a team lead reallocates a family; a family is discharged or closed with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pimh.contacts import services as contact_services
from pimh.contacts.models import Task
from pimh.core.models import AuditEvent
from pimh.families import services
from pimh.families.models import ClosureReason
from pimh.screening import services as screening_services
from tests.conftest import make_family, make_user, person_data

TODAY = timezone.localdate()


@pytest.fixture
def second_hv(team_a):
    return make_user("second_hv", "hv", team_a)


def _open_task(family):
    return contact_services.create_task(
        by=None, family=family, kind="follow_up", title="Follow-up", due_from=TODAY, due_by=TODAY + dt.timedelta(7)
    )


def test_team_lead_reallocates_a_family_and_its_open_tasks_move(client, lead, hv, second_hv, family_a):
    task = _open_task(family_a)
    client.force_login(lead)
    response = client.post(f"/families/{family_a.pk}/allocate/", {"health_visitor": str(second_hv.pk)})
    assert response.status_code == 302
    family_a.refresh_from_db()
    task.refresh_from_db()
    assert family_a.allocated_hv == second_hv
    assert task.assigned_to == second_hv
    assert AuditEvent.objects.filter(user=lead, action="update", family_id=family_a.pk).exists()


def test_a_health_visitor_sees_the_allocation_but_cannot_reallocate(client, hv, second_hv, family_a):
    client.force_login(hv)
    page = client.get(f"/families/{family_a.pk}/allocate/").content.decode()
    assert "Only a team lead can reallocate" in page
    assert client.post(f"/families/{family_a.pk}/allocate/", {"health_visitor": str(second_hv.pk)}).status_code == 403
    family_a.refresh_from_db()
    assert family_a.allocated_hv == hv


def test_reallocation_offers_only_the_family_team(client, lead, colleague_b, family_a):
    client.force_login(lead)
    response = client.post(f"/families/{family_a.pk}/allocate/", {"health_visitor": str(colleague_b.pk)})
    assert response.status_code == 200
    assert colleague_b.display_name not in response.content.decode()
    family_a.refresh_from_db()
    assert family_a.allocated_hv != colleague_b


def test_close_family_cancels_open_tasks_with_the_reason_and_is_audited(hv, family_a):
    task = _open_task(family_a)
    services.close_family(by=hv, family=family_a, reason=ClosureReason.MOVED_AWAY)
    family_a.refresh_from_db()
    task.refresh_from_db()
    assert family_a.closed_on == TODAY
    assert family_a.closed_reason == "moved_away"
    assert task.status == "cancelled"
    assert task.cancel_reason == "Family closed: Moved out of the area"
    event = AuditEvent.objects.get(user=hv, action="update", family_id=family_a.pk, detail__closed_reason="moved_away")
    assert event.detail["tasks_cancelled"] == Task.objects.filter(family=family_a, status="cancelled").count()


def test_close_family_is_refused_while_an_urgent_flag_is_open(hv, family_a):
    mother = family_a.people.get(role="birthing_parent")
    screening_services.raise_flag(by=hv, family=family_a, person=mother, reason="self_harm_thoughts")
    with pytest.raises(ValidationError, match="urgent flag"):
        services.close_family(by=hv, family=family_a, reason=ClosureReason.CHILD_TURNED_FIVE)
    family_a.refresh_from_db()
    assert family_a.closed_on is None


@pytest.mark.parametrize(
    ("reason", "note", "on", "field"),
    [
        ("", "", None, "reason"),
        ("bogus", "", None, "reason"),
        ("other", "  ", None, "note"),
        ("moved_away", "", TODAY + dt.timedelta(days=1), "on"),
    ],
)
def test_close_family_refuses_bad_input_and_changes_nothing(hv, family_a, reason, note, on, field):
    with pytest.raises(ValidationError) as error:
        services.close_family(by=hv, family=family_a, reason=reason, note=note, on=on)
    assert field in error.value.message_dict
    family_a.refresh_from_db()
    assert family_a.closed_on is None


def test_close_family_twice_is_refused(hv, family_a):
    services.close_family(by=hv, family=family_a, reason=ClosureReason.TRANSFERRED)
    with pytest.raises(ValidationError, match="already closed"):
        services.close_family(by=hv, family=family_a, reason=ClosureReason.TRANSFERRED)


def test_a_closed_family_leaves_the_caseload_and_worklist_but_search_finds_it(client, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv)
    _open_task(family)
    client.force_login(hv)
    response = client.post(
        f"/families/{family.pk}/close/",
        {"reason": "turned_five", "on_day": str(TODAY.day), "on_month": str(TODAY.month), "on_year": str(TODAY.year)},
    )
    assert response.status_code == 302
    link = f'href="/families/{family.pk}/"'
    assert link not in client.get("/caseload/").content.decode()
    assert link not in client.get("/work/").content.decode()
    found = client.get("/caseload/", {"q": family.reference}).content.decode()
    assert "Closed</strong>" in found
    record = client.get(f"/families/{family.pk}/").content.decode()
    assert "Youngest child turned 5" in record


def test_a_closed_family_gets_no_new_scheduled_tasks(hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=None)
    services.close_family(by=hv, family=family, reason=ClosureReason.MOVED_AWAY)
    services.add_person(by=hv, family=family, data=person_data("infant", date_of_birth=TODAY))
    contact_services.schedule_tasks(by=None, families=type(family).objects.filter(pk=family.pk))
    assert not Task.objects.filter(family=family, status__in=["upcoming", "due", "overdue"]).exists()


def test_family_record_close_link_is_not_printed(client, hv, family_a):
    client.force_login(hv)
    page = client.get(f"/families/{family_a.pk}/").content.decode()
    assert f'<p class="pimh-no-print"><a href="/families/{family_a.pk}/close/">' in page
