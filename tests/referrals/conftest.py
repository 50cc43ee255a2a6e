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
