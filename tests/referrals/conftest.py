from __future__ import annotations

import pytest


@pytest.fixture
def infant_service(db):
    from pimh.referrals.models import Service

    return Service.objects.create(
        name="Little Steps Parent-Infant Team", kind="parent_infant_team", sees="dyad", infant_max_months=12
    )


@pytest.fixture
def camhs(db):
    from pimh.referrals.models import Service

    return Service.objects.create(name="Northmoor CAMHS", kind="camhs", sees="infant", infant_min_months=24)


@pytest.fixture
def draft_referral(hv, family_a, infant_service):
    """A routine draft referral of team A's infant to the 0-12 month parent-infant team."""
    from pimh.referrals import services

    return services.create_referral(
        by=hv,
        family=family_a,
        person=family_a.people.get(role="infant"),
        service=infant_service,
        urgency="routine",
        reason_code="relationship",
        consent="given",
    )
