"""The pure modules: the state machine, acceptance criteria and working days."""

from __future__ import annotations

import datetime as dt

import pytest

from pimh.referrals import criteria
from pimh.referrals.states import FINAL, TRANSITIONS, Event, IllegalTransition, State, allowed_events, next_state
from pimh.referrals.working_days import add_working_days, is_working_day
from tests.referrals.legal import ALL_PAIRS, ILLEGAL, LEGAL


@pytest.mark.parametrize(("state", "event"), list(LEGAL), ids=lambda v: str(v))
def test_every_legal_state_and_event(state, event):
    assert next_state(state, event) == LEGAL[(state, event)]


@pytest.mark.parametrize(("state", "event"), ILLEGAL, ids=lambda v: str(v))
def test_every_illegal_state_and_event(state, event):
    with pytest.raises(IllegalTransition, match="cannot take"):
        next_state(state, event)


def test_legal_and_illegal_cover_every_pair():
    assert len(LEGAL) + len(ILLEGAL) == len(ALL_PAIRS) == len(State) * len(Event)


def test_the_table_is_exactly_the_documented_one():
    assert TRANSITIONS == LEGAL


def test_final_states_allow_nothing_and_say_so():
    for state in FINAL:
        assert allowed_events(state) == []
    with pytest.raises(IllegalTransition, match=r"declined cannot take 'withdraw'\. Allowed now: nothing"):
        next_state(State.DECLINED, Event.WITHDRAW)


# ---- criteria -------------------------------------------------------------------------

ZERO_TO_TWELVE = criteria.Criteria(sees="dyad", infant_min_months=0, infant_max_months=12)
DOB = dt.date(2025, 3, 10)


def infant_warnings(c, on, dob=DOB, urgency="routine", area="E06000001"):
    return criteria.check(c, is_infant=True, date_of_birth=dob, urgency=urgency, area=area, on=on)


@pytest.mark.parametrize(
    ("on", "warned"),
    [
        (dt.date(2025, 3, 10), False),  # day of birth
        (dt.date(2026, 3, 9), False),  # day before the first birthday
        (dt.date(2026, 3, 10), True),  # the first birthday
        (dt.date(2026, 3, 11), True),  # after
        (dt.date(2026, 5, 10), True),  # 14 months
    ],
)
def test_zero_to_twelve_months_boundary(on, warned):
    warnings = infant_warnings(ZERO_TO_TWELVE, on)
    assert warnings == ["Outside age criteria: this service accepts infants aged 0-12 months"] * warned


def test_camhs_from_24_months_warns_for_a_baby():
    camhs = criteria.Criteria(sees="infant", infant_min_months=24)
    assert infant_warnings(camhs, dt.date(2027, 3, 9)) == [
        "Outside age criteria: this service accepts infants aged from 2 years"
    ]
    assert infant_warnings(camhs, dt.date(2027, 3, 10)) == []


def test_leap_day_birthday():
    assert criteria.add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert infant_warnings(ZERO_TO_TWELVE, dt.date(2025, 2, 27), dob=dt.date(2024, 2, 29)) == []
    assert infant_warnings(ZERO_TO_TWELVE, dt.date(2025, 2, 28), dob=dt.date(2024, 2, 29)) != []


def test_whom_urgency_and_area():
    parents_only = criteria.Criteria(sees="parent", urgencies=frozenset({"routine"}), areas=frozenset({"E1"}))
    warnings = infant_warnings(parents_only, DOB, urgency="urgent", area="E2")
    assert warnings == [
        "This service sees parents only, and the person referred is an infant",
        "This service does not accept urgent referrals",
        "The family lives outside this service's area",
    ]
    infants_only = criteria.Criteria(sees="infant")
    assert criteria.check(infants_only, is_infant=False, date_of_birth=None, urgency="routine", area="", on=DOB) == [
        "This service sees infants only, and the person referred is a parent"
    ]


# ---- working days -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Fri 19 Dec 2025 + 5: Mon 22, Tue 23, Wed 24, (Christmas, Boxing Day), Mon 29, Tue 30.
        (dt.date(2025, 12, 19), 5, dt.date(2025, 12, 30)),
        (dt.date(2025, 12, 24), 1, dt.date(2025, 12, 29)),
        (dt.date(2025, 12, 31), 1, dt.date(2026, 1, 2)),  # skips New Year's Day
        (dt.date(2026, 4, 2), 1, dt.date(2026, 4, 7)),  # Good Friday and Easter Monday
        (dt.date(2026, 5, 22), 1, dt.date(2026, 5, 26)),  # spring bank holiday
        (dt.date(2025, 11, 21), 1, dt.date(2025, 11, 24)),  # a weekend
        (dt.date(2025, 11, 22), 0, dt.date(2025, 11, 22)),  # emergency: same day
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected


def test_bank_holidays_2025_to_2028_are_not_working_days():
    for day in [dt.date(2025, 8, 25), dt.date(2026, 12, 28), dt.date(2027, 3, 29), dt.date(2028, 5, 1)]:
        assert not is_working_day(day)
    with pytest.raises(ValueError):
        add_working_days(dt.date(2025, 1, 1), -1)
