from __future__ import annotations

from decimal import Decimal

import pytest

from pimh.core.models import User
from pimh.demo.loader import load_demo


@pytest.mark.django_db
def test_demo_has_part_time_health_visitors_and_the_lead_sees_weighted_caseloads(client):
    summary = load_demo(seed=2, children=800)
    assert summary.counts["part_time_staff"] == 3
    assert User.objects.get(username="hv5").wte == Decimal("0.60")
    assert User.objects.get(username="hv1").wte == Decimal("1.00")
    client.force_login(User.objects.get(username="lead"))
    page = client.get("/team/caseload-weights/").content.decode()
    row = page.split(f'data-practitioner="{User.objects.get(username="hv5").pk}"')[1].split("</tr>")[0]
    assert ">0.60</td>" in row
