"""The lead's referral lists: the overdue condition in the database agrees with ``overdue_reason``, and
each list is paginated so the page reads the same rows whatever the number of referrals."""

from __future__ import annotations

import datetime as dt
from itertools import product

import pytest
from django.utils import timezone

from pimh.referrals import presenters
from pimh.referrals import views as referral_views
from pimh.referrals.models import Referral
from pimh.referrals.states import State
from tests.conftest import make_family
from tests.rows import rows_for

TODAY = timezone.localdate()
STATES = [State.SENT, State.ACKNOWLEDGED, State.ACCEPTED, State.FIRST_APPOINTMENT_OFFERED, State.DECLINED]
SENT_DAYS_AGO = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14, 15, 30]
APPOINTMENT_AFTER_SENT = [None, 10, 14, 15]


def _referral(family, service, *, status, urgency, sent_on, first_appointment_on=None, by=None):
    return Referral.objects.create(
        family=family,
        person=family.people.get(role="infant"),
        service=service,
        reason_code="relationship",
        urgency=urgency,
        status=status,
        sent_on=sent_on,
        first_appointment_on=first_appointment_on,
        created_by=by,
    )


def _every_combination(family, service) -> list[Referral]:
    made = []
    for status, urgency, days, after in product(
        STATES, ["emergency", "urgent", "routine"], SENT_DAYS_AGO, APPOINTMENT_AFTER_SENT
    ):
        sent = TODAY - dt.timedelta(days=days)
        appointment = None if after is None else sent + dt.timedelta(days=after)
        made.append(
            _referral(family, service, status=status, urgency=urgency, sent_on=sent, first_appointment_on=appointment)
        )
    return made


def test_the_overdue_condition_in_the_database_matches_overdue_reason(hv, family_a, infant_service):
    made = _every_combination(family_a, infant_service)
    expected = {r.pk for r in made if presenters.overdue_reason(r, TODAY)}
    found = set(Referral.objects.filter(presenters.overdue_filter(TODAY)).values_list("pk", flat=True))
    assert found == expected
    assert 0 < len(expected) < len(made)


def test_each_list_count_is_the_number_of_its_rows(lead, family_a, infant_service):
    from pimh.families.scope import Scope

    made = _every_combination(family_a, infant_service)
    found = presenters.team_referrals(Scope(lead), TODAY)
    lengths = {name: len(list(rows)) for name, rows in found.lists.items()}
    assert found.counts == lengths
    assert lengths["overdue"] == sum(1 for r in made if presenters.overdue_reason(r, TODAY))
    assert lengths["declined"] == sum(1 for r in made if r.status == State.DECLINED) > 0


def _grow(hv, team_a, service, count: int) -> None:
    for i in range(count):
        family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=60)
        for status in (State.SENT, State.ACCEPTED, State.DECLINED):
            _referral(
                family, service, status=status, urgency="routine", sent_on=TODAY - dt.timedelta(days=30 + i), by=hv
            )


def test_team_referrals_page_reads_one_page_of_each_list(client, hv, lead, team_a, infant_service, monkeypatch):
    monkeypatch.setattr(referral_views, "TEAM_LIST_PAGE_SIZE", 3)
    client.force_login(lead)
    _grow(hv, team_a, infant_service, 4)
    small = rows_for(client, "/team/referrals/")
    _grow(hv, team_a, infant_service, 16)
    large = rows_for(client, "/team/referrals/")
    assert (large.rows, len(large.queries)) == (small.rows, len(small.queries)), large.queries
    page = client.get("/team/referrals/?declined=7").content.decode()
    assert "Declined (20)" in page
    assert 'href="?declined=6#declined"' in page  # back at the list's own heading, not the top of the page
    assert "Page 6 of 7" in page


@pytest.mark.parametrize("url", ["/specialist/", "/specialist/queue/"])
def test_specialist_pages_read_one_page(client, hv, specialist, team_a, url, monkeypatch):
    from pimh.referrals import services
    from pimh.referrals.models import Service

    monkeypatch.setattr(referral_views, "PAGE_SIZE", 3)
    service = Service.objects.create(name="Specialist HV (PIMH)", kind="specialist_hv", sees="dyad")

    def grow(count: int) -> None:
        for _ in range(count):
            family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=60)
            mother = family.people.get(role="birthing_parent")
            services.create_and_send(
                by=hv,
                family=family,
                person=mother,
                service=service,
                urgency="routine",
                reason_code="relationship",
                consent="given",
            )
            services.add_specialist_involvement(
                by=specialist, family=family, specialist=specialist, kind="joint_working"
            )

    client.force_login(specialist)
    grow(4)
    small = rows_for(client, url)
    grow(16)
    large = rows_for(client, url)
    assert (large.rows, len(large.queries)) == (small.rows, len(small.queries)), large.queries


def test_age_criteria_declines_are_kept_like_the_other_team_counts(client, hv, lead, team_a, infant_service, settings):
    def decline() -> None:
        family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=60)
        referral = _referral(family, infant_service, status=State.DECLINED, urgency="routine", sent_on=TODAY, by=hv)
        Referral.objects.filter(pk=referral.pk).update(decline_reason="outside_age_criteria", decided_on=TODAY)

    def under_two() -> str:
        page = client.get("/team/referrals/").content.decode().replace("&#34;", '"')
        assert "Age-criteria declines counted at" in page
        return page.split('(the "baby blindspot"): <strong>')[1].split("<")[0]

    settings.AGGREGATE_CACHE_SECONDS = 60
    client.force_login(lead)
    decline()
    assert under_two() == "1"
    decline()
    assert under_two() == "1"  # kept for the setting's time, as the page says
    assert "Declined (2)" in client.get("/team/referrals/").content.decode()  # the list itself is read fresh
    settings.AGGREGATE_CACHE_SECONDS = 0
    assert under_two() == "2"
