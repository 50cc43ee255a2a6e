"""Team-wide and service-wide counts kept for AGGREGATE_CACHE_SECONDS (core/recent.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from pimh.contacts import presenters
from pimh.core.recent import recent
from pimh.families.scope import Scope
from tests.conftest import make_user
from tests.factories import FamilyFactory, PersonFactory

START = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def test_a_value_is_computed_once_then_kept_until_the_setting_expires(settings) -> None:
    settings.AGGREGATE_CACHE_SECONDS = 60
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    with time_machine.travel(START, tick=False) as clock:
        assert recent("k", compute) == (1, START)
        clock.shift(dt.timedelta(seconds=59))
        assert recent("k", compute) == (1, START)  # kept: computed at START
        clock.shift(dt.timedelta(seconds=2))
        assert recent("k", compute) == (2, START + dt.timedelta(seconds=61))  # older than 60 s: counted again
    assert len(calls) == 2


def test_zero_seconds_counts_on_every_call(settings) -> None:
    settings.AGGREGATE_CACHE_SECONDS = 0
    calls: list[int] = []
    assert recent("k", lambda: calls.append(1) or len(calls))[0] == 1
    assert recent("k", lambda: calls.append(1) or len(calls))[0] == 2


@pytest.mark.django_db
def test_the_team_view_shows_kept_counts_with_their_time_and_the_fresh_count_differs(settings, team_a) -> None:
    settings.AGGREGATE_CACHE_SECONDS = 60
    lead = make_user("lead-r", "lead", team_a)
    hv = make_user("hv-r", "hv", team_a)
    family = FamilyFactory(team=team_a, allocated_hv=hv)
    PersonFactory(family=family, role="infant")
    client = Client()
    client.force_login(lead)
    with time_machine.travel(START, tick=False):
        first = client.get("/team/").content.decode()
        assert "Counts taken at 10:00:00" in first  # 09:00 UTC is 10:00 in London in June
        PersonFactory(family=family, role="infant")  # a second child, within the minute
        kept = {m.user.username: m.children for m in presenters.team_view(Scope(lead)).members}
        fresh = {m.user.username: m.children for m in presenters.team_members(Scope(lead))}
    assert kept["hv-r"] == 1 and fresh["hv-r"] == 2
    with time_machine.travel(START + dt.timedelta(seconds=61), tick=False):
        later = presenters.team_view(Scope(lead))
    assert {m.user.username: m.children for m in later.members}["hv-r"] == 2
    assert later.counted_at == timezone.make_aware(dt.datetime(2026, 6, 1, 9, 1, 1), dt.UTC)
