"""The worklist and the team view use a constant number of queries; the team view counts right."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pimh.contacts import presenters, services
from pimh.families.scope import Scope
from tests.conftest import FROZEN_TODAY, make_family

TODAY = FROZEN_TODAY


@pytest.fixture(autouse=True)
def _clock(frozen_clock):
    return frozen_clock


def _queries_for(client, url: str) -> int:
    client.get(url)  # the first request of a session also writes the session; states are refreshed
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_history(hv, team_a, families: int, *, start: int) -> None:
    """Families with children from a few days to three years old, contacts and closed tasks."""
    for i in range(families):
        family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=start + i * 73)
        infant = family.people.get(role="infant")
        for week in range(3):
            services.record_contact(
                by=hv,
                family=family,
                data=services.ContactData(
                    contact_type="additional",
                    date=TODAY - dt.timedelta(weeks=week * 20),
                    present_ids=(infant.pk,),
                ),
            )
        services.create_task(
            by=hv,
            family=family,
            kind="follow_up",
            title=f"Follow-up {i}",
            due_from=TODAY - dt.timedelta(days=i + 5),
            due_by=TODAY - dt.timedelta(days=i + 1),
            person=infant,
            urgent=i % 4 == 0,
        )


@pytest.mark.parametrize("url", ["/work/", "/work/?overdue_only=on", "/work/?kind=follow_up&due_this_week=on"])
def test_worklist_queries_do_not_grow_with_the_caseload(client, hv, team_a, url):
    client.force_login(hv)
    _add_history(hv, team_a, 1, start=12)
    small = _queries_for(client, url)
    _add_history(hv, team_a, 15, start=30)
    assert _queries_for(client, url) == small


def test_worklist_queries_do_not_grow_past_a_page(client, hv, team_a, settings):
    client.force_login(hv)
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=None)
    for i in range(3):
        services.create_task(by=hv, family=family, kind="other", title=f"Task {i}", due_from=TODAY, due_by=TODAY)
    small = _queries_for(client, "/work/")
    for i in range(60):
        services.create_task(by=hv, family=family, kind="other", title=f"More {i}", due_from=TODAY, due_by=TODAY)
    assert _queries_for(client, "/work/") == small
    assert _queries_for(client, "/work/?page=2") == small


def test_team_view_queries_do_not_grow_with_practitioners(client, lead, hv, team_a):
    from tests.conftest import make_user

    client.force_login(lead)
    make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    small = _queries_for(client, "/team/")
    for i in range(5):
        colleague = make_user(f"hv{i}", "hv", team_a)
        make_family(by=colleague, team=team_a, allocated_hv=colleague, with_infant_days=40)
    assert _queries_for(client, "/team/") == small


def test_family_record_queries_do_not_grow_with_history(client, hv, team_a):
    client.force_login(hv)
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    small = _queries_for(client, f"/families/{family.pk}/")
    infant = family.people.get(role="infant")
    for week in range(8):
        services.record_contact(
            by=hv,
            family=family,
            data=services.ContactData(
                contact_type="targeted", date=TODAY - dt.timedelta(weeks=week), present_ids=(infant.pk,)
            ),
        )
    assert _queries_for(client, f"/families/{family.pk}/") == small


def test_team_view_counts_per_practitioner(client, lead, hv, colleague_b, team_a, team_b):
    due = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)  # new birth visit due
    make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=40)  # new birth visit overdue
    services.create_task(
        by=lead, family=due, kind="urgent_action", title="Call", due_from=TODAY, due_by=TODAY, urgent=True
    )
    make_family(by=colleague_b, team=team_b, allocated_hv=colleague_b, with_infant_days=40)  # another team
    client.force_login(lead)
    page = client.get("/team/").content.decode()
    counts = {m.user.username: (m.due, m.overdue, m.urgent, m.children) for m in presenters.team_members(Scope(lead))}
    assert counts == {"hannah": (2, 1, 1, 2), "lena": (0, 0, 0, 0)}
    assert hv.display_name in page
    assert colleague_b.display_name not in page


def test_worklist_of_400_children_over_three_years_uses_the_same_queries(client, hv, team_a):
    client.force_login(hv)
    make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    small = _queries_for(client, "/work/")
    for i in range(399):
        make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=5 + (i * 1095) // 399, with_father=False)
    assert _queries_for(client, "/work/") == small
    assert _queries_for(client, "/work/?page=2") == small


def test_team_view_queries_do_not_grow_with_tasks_or_children(client, lead, hv, team_a):
    make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=40)
    client.force_login(lead)
    small = _queries_for(client, "/team/")
    for i in range(30):
        make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=5 + i * 20)
    assert _queries_for(client, "/team/") == small


def test_team_view_urgent_count_agrees_with_my_work(client, lead, hv, team_a):
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)
    for title in ("Call today", "Visit today"):
        services.create_task(
            by=hv, family=family, kind="urgent_action", title=title, due_from=TODAY, due_by=TODAY, urgent=True
        )
    client.force_login(hv)
    work = client.get("/work/").content.decode()
    (member,) = [m for m in presenters.team_members(Scope(lead)) if m.user == hv]
    assert member.urgent == 2
    assert work.count('nhsuk-tag--red">Urgent') == member.urgent


def test_lead_drills_down_to_one_practitioners_overdue_work(client, lead, hv, colleague_b, team_a, team_b):
    overdue = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=40)
    make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=12)  # due, not overdue
    client.force_login(lead)
    team_page = client.get("/team/").content.decode()
    assert f"/team/{hv.pk}/overdue/" in team_page
    page = client.get(f"/team/{hv.pk}/overdue/").content.decode()
    assert overdue.reference in page
    assert page.count('<tr class="nhsuk-table__row" role="row">') == 1 + 1  # the header row and the one overdue task
    assert client.get(f"/team/{colleague_b.pk}/overdue/").status_code == 404  # not in the lead's teams
    client.force_login(hv)
    assert client.get(f"/team/{hv.pk}/overdue/").status_code == 403  # not a team lead
