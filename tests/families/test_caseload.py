"""The caseload renders with a constant number of queries, whatever its size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_family


def _queries_for_caseload(client) -> int:
    client.get("/caseload/")  # the first request of a session also writes the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/caseload/")
    assert response.status_code == 200
    return len(queries)


def test_caseload_queries_do_not_grow_with_families(client, hv, team_a):
    client.force_login(hv)
    make_family(by=hv, team=team_a, allocated_hv=hv)
    small = _queries_for_caseload(client)
    for _ in range(12):
        make_family(by=hv, team=team_a, allocated_hv=hv)
    assert _queries_for_caseload(client) == small


def test_caseload_lists_my_families_with_infant_ages_and_not_others(client, hv, team_a, lead):
    mine = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=10)
    theirs = make_family(by=lead, team=team_a, allocated_hv=lead)
    client.force_login(hv)
    page = client.get("/caseload/").content.decode()
    assert mine.reference in page
    assert "10 days" in page
    assert theirs.reference not in page
    assert "1 family allocated to you, with 1 child." in page


@pytest.mark.parametrize("query", ["{nhs}", "{nhs_spaced}", "Testington", "robin testington"])
def test_search_within_my_teams_by_name_or_nhs_number(client, hv, team_a, lead, query):
    theirs = make_family(by=lead, team=team_a, allocated_hv=lead)
    infant = theirs.people.get(role="infant")
    text = query.format(
        nhs=infant.nhs_number, nhs_spaced=f"{infant.nhs_number[:3]} {infant.nhs_number[3:6]} {infant.nhs_number[6:]}"
    )
    client.force_login(hv)
    page = client.get("/caseload/", {"q": text}).content.decode()
    assert theirs.reference in page


def test_search_by_family_reference_shows_dates_of_birth_and_nhs_numbers(client, hv, team_a, lead):
    theirs = make_family(by=lead, team=team_a, allocated_hv=lead, with_infant_days=10)
    other = make_family(by=lead, team=team_a, allocated_hv=lead)
    infant = theirs.people.get(role="infant")
    client.force_login(hv)
    page = client.get("/caseload/", {"q": theirs.reference.lower()}).content.decode()
    assert theirs.reference in page
    assert other.reference not in page
    assert f"Born {infant.date_of_birth.strftime('%d %b %Y')}" in page
    assert f"NHS {infant.nhs_number[:3]} {infant.nhs_number[3:6]} {infant.nhs_number[6:]}" in page
