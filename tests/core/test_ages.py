"""The one module for ages and month arithmetic: ages agree with the contact windows."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pimh.contacts import schedule
from pimh.core import ages
from pimh.core.presenters import age_text
from pimh.referrals import criteria

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 5, 31), 9, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected):
    assert ages.add_months(start, months) == expected


def test_the_reported_disagreement_is_gone():
    # 31 May 2024 showed "8 months" on 28 Feb 2025 while the schedule's 9-month window opened that day.
    dob, on = date(2024, 5, 31), date(2025, 2, 28)
    assert age_text(dob, on) == "9 months"
    assert ages.age_in_months(dob, on) == 9
    assert ages.age_in_months(dob, on - timedelta(days=1)) == 8


def test_every_module_uses_the_same_month_arithmetic():
    assert schedule.add_months is ages.add_months
    assert criteria.add_months is ages.add_months


@given(dob=dates, on=dates)
def test_age_in_months_is_the_largest_month_not_after_the_day(dob, on):
    low, high = min(dob, on), max(dob, on)
    months = ages.age_in_months(low, high)
    assert ages.add_months(low, months) <= high
    assert ages.add_months(low, months + 1) > high


@given(dob=dates, months=st.integers(min_value=1, max_value=72))
def test_under_switches_on_the_day_the_months_are_reached(dob, months):
    birthday = ages.add_months(dob, months)
    assert not ages.under(dob, birthday, months=months)
    assert ages.under(dob, birthday - timedelta(days=1), months=months)


@pytest.mark.parametrize(
    ("days", "text"),
    [(0, "0 days"), (1, "1 day"), (27, "27 days"), (28, "4 weeks"), (90, "12 weeks"), (-1, "Not born yet")],
)
def test_age_text_in_days_and_weeks(days, text):
    dob = date(2025, 1, 1)
    assert ages.age_text(dob, dob + timedelta(days=days)) == text


def test_age_text_in_years():
    assert ages.age_text(date(2022, 6, 1), date(2024, 6, 1)) == "2 years"
    assert ages.age_text(date(2022, 6, 1), date(2024, 9, 1)) == "2 years 3 months"
    assert ages.age_text(None, date(2024, 9, 1)) == "Not born yet"


def test_age_in_months_refuses_a_date_before_birth():
    with pytest.raises(ValueError, match="before date of birth"):
        ages.age_in_months(date(2025, 1, 2), date(2025, 1, 1))
