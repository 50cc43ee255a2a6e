from __future__ import annotations

import pytest

from pimh.core.ages import add_months
from pimh.demo.loader import load_demo
from pimh.referrals.models import Referral, ReferralEvent, Service, SpecialistInvolvement, SupervisionSession


@pytest.mark.django_db
def test_demo_directory_and_referrals():
    summary = load_demo(seed=3, children=1500)
    assert summary.counts["services"] == Service.objects.count() == 8
    camhs = Service.objects.get(kind="camhs")
    assert (camhs.infant_min_months, camhs.infant_max_months) == (24, None)
    assert Service.objects.get(kind="parent_infant_team").infant_max_months == 24
    assert summary.counts["referrals"] == Referral.objects.count() > 30
    assert summary.counts["referral_events"] == ReferralEvent.objects.count()
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {"sent", "declined", "first_appointment_attended", "discharged"} <= statuses
    blindspot = [
        r
        for r in Referral.objects.filter(decline_reason="outside_age_criteria").select_related("person")
        if r.person.is_infant and add_months(r.person.date_of_birth, 24) > r.decided_on
    ]
    assert blindspot
    assert all(r.criteria_warnings for r in blindspot)
    for referral in Referral.objects.prefetch_related("events")[:50]:
        assert [e.to_status for e in referral.events.all()][-1] == referral.status
    assert SpecialistInvolvement.objects.exists() and SupervisionSession.objects.exists()
