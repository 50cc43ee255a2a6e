"""A parent referred to a dyad service is checked against the youngest living infant's age (defect 10)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pimh.families import life_events
from pimh.families import services as family_services
from pimh.families.models import PersonRole
from pimh.referrals import criteria, services
from pimh.referrals.models import Service
from tests.conftest import person_data

DOB = dt.date(2026, 3, 10)
ZERO_TO_TWELVE = criteria.Criteria(sees="dyad", infant_max_months=12)
DYAD_WARNING = (
    "Outside age criteria: this service accepts infants aged 0-12 months, "
    "and the youngest infant in the family is outside it"
)


def parent_warnings(rules, on, infant_dob=DOB):
    return criteria.check(
        rules, is_infant=False, date_of_birth=dt.date(1994, 1, 1), urgency="routine", area="", on=on,
        infant_date_of_birth=infant_dob,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("on", "warned"),
    [(dt.date(2026, 3, 10), False), (dt.date(2027, 3, 9), False), (dt.date(2027, 3, 10), True)],
)
def test_parent_to_a_dyad_service_uses_the_infants_age_at_its_edges(on, warned):
    assert parent_warnings(ZERO_TO_TWELVE, on) == ([DYAD_WARNING] if warned else [])


def test_parent_only_service_and_no_infant_are_not_age_checked():
    parents_only = criteria.Criteria(sees="parent", infant_max_months=12)
    assert parent_warnings(parents_only, dt.date(2028, 1, 1)) == []
    assert parent_warnings(ZERO_TO_TWELVE, dt.date(2028, 1, 1), infant_dob=None) == []


TODAY = timezone.localdate


@pytest.fixture
def mbu(db):
    return Service.objects.create(
        name="Regional Mother and Baby Unit", kind="mother_baby_unit", sees="dyad", infant_max_months=12
    )


def _refer_mother(hv, family, service):
    return services.create_referral(
        by=hv,
        family=family,
        person=family.people.get(role=PersonRole.BIRTHING_PARENT),
        service=service,
        urgency="routine",
        reason_code="depression",
        consent="given",
    )


def _add_child(hv, family, days_old, name):
    return family_services.add_person(
        by=hv,
        family=family,
        data=person_data("infant", given_name=name, date_of_birth=TODAY() - dt.timedelta(days=days_old)),
    )


def test_referring_a_mother_of_a_14_month_old_to_a_0_12_month_unit_warns(hv, team_a, mbu):
    from tests.conftest import make_family

    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=430)
    assert _refer_mother(hv, family, mbu).criteria_warnings == [DYAD_WARNING]


def test_the_youngest_living_infant_counts(hv, team_a, mbu):
    from tests.conftest import make_family

    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=430)
    baby = _add_child(hv, family, 60, "Wren")
    assert _refer_mother(hv, family, mbu).criteria_warnings == []
    life_events.record_death(by=hv, person=baby, on=TODAY())
    assert _refer_mother(hv, family, mbu).criteria_warnings == [DYAD_WARNING]


def test_the_referral_page_warns_before_sending(client, hv, team_a, mbu):
    from tests.conftest import make_family

    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=430)
    client.force_login(hv)
    page = client.post(
        f"/families/{family.pk}/referrals/add/",
        {
            "person": family.people.get(role=PersonRole.BIRTHING_PARENT).pk,
            "service": mbu.pk,
            "urgency": "routine",
            "reason_code": "depression",
            "consent": "given",
        },
    )
    assert page.status_code == 200
    assert "the youngest infant in the family is outside it" in page.content.decode()
    assert not family.referrals.exists()
