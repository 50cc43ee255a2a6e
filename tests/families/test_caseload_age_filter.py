"""The caseload filter by child age: the bands (pure, at their edges) and the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pimh.core import ages
from pimh.families import services
from tests.conftest import make_family, person_data

ON = dt.date(2026, 3, 10)


@pytest.mark.parametrize(
    ("dob", "bands"),
    [
        (ON, ["0-12m"]),  # born today
        (dt.date(2025, 3, 11), ["0-12m"]),  # the day before the first birthday
        (dt.date(2025, 3, 10), ["12-24m"]),  # exactly 12 months
        (dt.date(2024, 3, 11), ["12-24m"]),  # the day before the second birthday
        (dt.date(2024, 3, 10), ["2-5y"]),  # exactly 24 months
        (dt.date(2021, 3, 11), ["2-5y"]),  # the day before the fifth birthday
        (dt.date(2021, 3, 10), []),  # exactly 5 years: no band
        (dt.date(2026, 3, 11), []),  # not born yet
    ],
)
def test_each_date_of_birth_falls_in_one_band_at_most(dob, bands):
    assert [b for b in ages.AGE_BANDS if ages.in_age_band(dob, ON, b)] == bands


def test_a_birthday_at_a_month_end_follows_the_calendar_month_rule():
    # Born 29 Feb 2024: 12 months old on 28 Feb 2025 (add_months clamps to the month's end).
    assert ages.in_age_band(dt.date(2024, 2, 29), dt.date(2025, 2, 28), "12-24m")
    assert ages.in_age_band(dt.date(2024, 2, 29), dt.date(2025, 2, 27), "0-12m")


@pytest.fixture
def families(hv, team_a):
    today = timezone.localdate()

    def with_child(dob):
        family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=None)
        services.add_person(by=hv, family=family, data=person_data("infant", date_of_birth=dob))
        return family

    expecting = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=None)
    services.add_pregnancy(
        by=hv,
        family=expecting,
        mother=expecting.people.get(role="birthing_parent"),
        edd=today + dt.timedelta(weeks=10),
    )
    return {
        "unborn": expecting,
        "twelve": with_child(ages.add_months(today, -12)),  # exactly 12 months today
        "eleven": with_child(ages.add_months(today, -12) + dt.timedelta(days=1)),
        "twenty_four": with_child(ages.add_months(today, -24)),  # exactly 24 months today
        "four": with_child(ages.add_months(today, -48)),
    }


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ("unborn", {"unborn"}),
        ("0-12m", {"eleven"}),
        ("12-24m", {"twelve"}),
        ("2-5y", {"twenty_four", "four"}),
        ("", {"unborn", "eleven", "twelve", "twenty_four", "four"}),
    ],
)
def test_the_caseload_filters_by_child_age(client, hv, families, band, expected):
    client.force_login(hv)
    html = client.get("/caseload/", {"child_age": band}).content.decode()
    assert {name for name, family in families.items() if family.reference in html} == expected


def test_the_filter_is_offered_beside_the_others_and_keeps_its_choice(client, hv, families):
    client.force_login(hv)
    html = client.get("/caseload/", {"child_age": "12-24m"}).content.decode()
    assert '<label class="nhsuk-label" for="id_child_age">Child&#39;s age</label>' in html
    assert '<option value="12-24m" selected>12 to 24 months</option>' in html
    assert "Clear filters" in html


def test_an_unknown_band_filters_nothing_out(client, hv, families):
    client.force_login(hv)
    html = client.get("/caseload/", {"child_age": "teenager"}).content.decode()
    assert [family.reference in html for family in families.values()] == [True] * len(families)
