"""The screening demo step: screens for mothers and fathers, positives, a few urgent flags."""

from __future__ import annotations

import pytest

from pimh.demo.loader import load_demo
from pimh.families.models import PersonRole
from pimh.screening.models import Screen, Suggestion, UrgentFlag


@pytest.mark.django_db
def test_demo_screens_mothers_and_fathers_with_realistic_positives():
    summary = load_demo(seed=3, children=400)
    assert summary
    mothers = Screen.objects.filter(instrument="whooley", person__role=PersonRole.BIRTHING_PARENT)
    fathers = Screen.objects.filter(instrument="whooley", person__role=PersonRole.FATHER)
    assert mothers.count() > 100 and fathers.exists()
    share = mothers.filter(positive=True).count() / mothers.count()
    assert 0.08 < share < 0.28
    assert Suggestion.objects.filter(decision="pending").exists()
    flags = UrgentFlag.objects.filter(status="open")
    assert flags.exists()
    assert all(flag.task.urgent and flag.task.kind == "urgent_action" for flag in flags)
