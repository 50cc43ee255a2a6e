"""A page that shows one screenful reads the same number of rows whatever the size of the caseload."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pimh.contacts import services
from pimh.contacts import views as contact_views
from pimh.families import views as family_views
from tests.conftest import make_family
from tests.rows import rows_for

TODAY = timezone.localdate()


def _grow(hv, team_a, families: int, *, start: int) -> None:
    """Families with a child, its scheduled tasks, and an overdue follow-up each."""
    for i in range(families):
        family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=start + i * 29)
        services.create_task(
            by=hv,
            family=family,
            kind="follow_up",
            title=f"Follow-up {i}",
            due_from=TODAY - dt.timedelta(days=i + 5),
            due_by=TODAY - dt.timedelta(days=i + 1),
            person=family.people.get(role="infant"),
        )


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(contact_views, "PAGE_SIZE", 3)
    monkeypatch.setattr(family_views, "PAGE_SIZE", 3)


@pytest.mark.parametrize(
    ("user", "url"),
    [
        ("hv", "/caseload/"),
        ("hv", "/work/"),
        ("lead", "/team/"),
        ("lead", "/team/supervision/"),
        ("lead", "/team/{hv}/overdue/"),
    ],
)
def test_rows_read_do_not_grow_when_the_caseload_grows_five_times(
    client, hv, lead, team_a, small_pages, user, url, settings
):
    settings.AGGREGATE_CACHE_SECONDS = 0  # the team view counts on every view: its counting is what is measured
    client.force_login({"hv": hv, "lead": lead}[user])
    url = url.format(hv=hv.pk)
    _grow(hv, team_a, 4, start=20)
    small = rows_for(client, url)
    _grow(hv, team_a, 16, start=40)
    large = rows_for(client, url)
    assert (large.rows, len(large.queries)) == (small.rows, len(small.queries)), large.queries
    if url != "/team/" and "supervision" not in url:  # the lists: the large caseload fills more than one page
        assert "Page 1 of" in client.get(url + "?page=2").content.decode()


def _raise_flags(hv, team_a, count: int) -> None:
    from pimh.screening import services as screening_services

    for _ in range(count):
        family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=30)
        mother = family.people.get(role="birthing_parent")
        screening_services.raise_flag(by=hv, family=family, person=mother, reason="change_in_mental_state")


def test_urgent_flags_page_reads_one_page_whatever_the_number_of_flags(client, hv, lead, team_a, monkeypatch):
    from pimh.screening import views as screening_views

    monkeypatch.setattr(screening_views, "PAGE_SIZE", 3)
    client.force_login(lead)
    _raise_flags(hv, team_a, 4)
    small = rows_for(client, "/team/urgent-flags/")
    _raise_flags(hv, team_a, 16)
    large = rows_for(client, "/team/urgent-flags/")
    assert (large.rows, len(large.queries)) == (small.rows, len(small.queries)), large.queries
    last = client.get("/team/urgent-flags/?page=7").content.decode()
    assert "Page 6 of 7" in last
