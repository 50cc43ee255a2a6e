"""Tests for pimh.contacts.schedule against pimh-domain.md section 2 definitions.

Pure tests: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pimh.contacts.schedule import (
    DEFAULT_RULES,
    THREE_TO_FOUR_MONTH,
    Rule,
    RuleSet,
    Window,
    is_within_metric,
    status_on,
    window_to_dict,
    windows,
)
from pimh.core.ages import add_months, age_in_days, age_in_months

DAY = timedelta(days=1)
DOB = date(2024, 3, 1)

dates = st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31))
# EDD relative to DoB: from born 20 weeks early to born 6 weeks late.
edd_offsets = st.integers(min_value=-42, max_value=140)


def by_contact(ws: list[Window]) -> dict[str, Window]:
    return {w.contact: w for w in ws}


# --- add_months -------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 24, date(2026, 2, 28)),
        (date(2024, 2, 29), 30, date(2026, 8, 29)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 9, date(2024, 10, 31)),
        (date(2024, 8, 31), 1, date(2024, 9, 30)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 8, 31), 9, date(2025, 5, 31)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 5, 31), 0, date(2024, 5, 31)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@given(d1=dates, d2=dates, n=st.integers(min_value=-600, max_value=600))
def test_add_months_monotone_in_date(d1: date, d2: date, n: int) -> None:
    low, high = sorted((d1, d2))
    assert add_months(low, n) <= add_months(high, n)


@given(d=dates, n1=st.integers(-600, 600), n2=st.integers(-600, 600))
def test_add_months_monotone_in_months(d: date, n1: int, n2: int) -> None:
    low, high = sorted((n1, n2))
    assert add_months(d, low) <= add_months(d, high)


# --- ages -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dob", "on", "expected"),
    [
        (date(2024, 3, 15), date(2024, 3, 15), 0),
        (date(2024, 3, 15), date(2024, 4, 14), 0),
        (date(2024, 3, 15), date(2024, 4, 15), 1),
        (date(2024, 1, 31), date(2024, 2, 28), 0),
        (date(2024, 1, 31), date(2024, 2, 29), 1),
        (date(2024, 2, 29), date(2025, 2, 27), 11),
        (date(2024, 2, 29), date(2025, 2, 28), 12),
        (date(2024, 2, 29), date(2026, 8, 28), 29),
        (date(2024, 2, 29), date(2026, 8, 29), 30),
    ],
)
def test_age_in_months_completed_calendar_months(dob: date, on: date, expected: int) -> None:
    assert age_in_months(dob, on) == expected


@pytest.mark.parametrize(("on", "expected"), [(DOB, 0), (DOB + 14 * DAY, 14), (DOB + 56 * DAY, 56)])
def test_age_in_days(on: date, expected: int) -> None:
    assert age_in_days(DOB, on) == expected


@pytest.mark.parametrize("age", [age_in_days, age_in_months])
def test_ages_reject_dates_before_birth(age: Callable[[date, date], int]) -> None:
    with pytest.raises(ValueError, match="before date of birth"):
        age(DOB, DOB - DAY)


@given(dob=dates, n=st.integers(min_value=1, max_value=600))
def test_age_in_months_round_trips_add_months(dob: date, n: int) -> None:
    birthday = add_months(dob, n)
    assert age_in_months(dob, birthday) == n
    assert age_in_months(dob, birthday - DAY) == n - 1


# --- default rules ----------------------------------------------------------


@pytest.mark.parametrize(
    ("contact", "label", "csds_code"),
    [
        ("antenatal", "Antenatal contact", None),
        ("new_birth_visit", "New birth visit", "08"),
        ("six_to_eight_week", "6 to 8 week review", "09"),
        ("twelve_month", "12 month review", "10"),
        ("two_to_two_and_half_year", "2 to 2½ year review", "11"),
    ],
)
def test_default_rules_labels_and_codes(contact: str, label: str, csds_code: str | None) -> None:
    rule = {r.contact: r for r in DEFAULT_RULES.rules}[contact]
    assert (rule.label, rule.csds_code, rule.mandated) == (label, csds_code, True)


def test_default_rule_set_is_versioned_with_five_mandated_contacts() -> None:
    assert DEFAULT_RULES.version == "hcp-england-2026.1"
    assert len(DEFAULT_RULES.rules) == 5


# --- windows: postnatal edges -----------------------------------------------


@pytest.mark.parametrize(
    ("dob", "contact", "start", "end", "deadline"),
    [
        (
            DOB,
            "new_birth_visit",
            date(2024, 3, 11),
            date(2024, 3, 15),
            date(2024, 3, 15),
        ),
        (
            DOB,
            "six_to_eight_week",
            date(2024, 4, 12),
            date(2024, 4, 26),
            date(2024, 4, 26),
        ),
        (
            date(2024, 2, 29),
            "twelve_month",
            date(2024, 11, 29),
            date(2025, 2, 28),
            date(2025, 5, 29),
        ),
        (
            date(2024, 2, 29),
            "two_to_two_and_half_year",
            date(2026, 2, 28),
            date(2026, 8, 29),
            date(2026, 8, 29),
        ),
        (
            date(2024, 1, 31),
            "twelve_month",
            date(2024, 10, 31),
            date(2025, 1, 31),
            date(2025, 4, 30),
        ),
        (
            date(2024, 8, 31),
            "twelve_month",
            date(2025, 5, 31),
            date(2025, 8, 31),
            date(2025, 11, 30),
        ),
        (
            date(2024, 8, 31),
            "two_to_two_and_half_year",
            date(2026, 8, 31),
            date(2027, 2, 28),
            date(2027, 2, 28),
        ),
    ],
)
def test_postnatal_window_dates(dob: date, contact: str, start: date, end: date, deadline: date) -> None:
    w = by_contact(windows(dob=dob))[contact]
    assert (w.window_start, w.window_end, w.metric_deadline) == (start, end, deadline)


@pytest.mark.parametrize(
    ("contact", "contact_date", "expected"),
    [
        (
            "new_birth_visit",
            DOB + 3 * DAY,
            True,
        ),  # "within 14 days" counts early visits
        ("new_birth_visit", DOB + 14 * DAY, True),
        ("new_birth_visit", DOB + 15 * DAY, False),
        ("six_to_eight_week", DOB + 56 * DAY, True),  # exactly 8 weeks
        ("six_to_eight_week", DOB + 57 * DAY, False),
        ("twelve_month", date(2025, 3, 1), True),  # 12 months
        ("twelve_month", date(2025, 6, 1), True),  # 15 months, last day counted
        ("twelve_month", date(2025, 6, 2), False),
        ("twelve_month", date(2024, 11, 1), True),  # earlier reviews count (C5)
        ("two_to_two_and_half_year", date(2026, 9, 1), True),
        ("two_to_two_and_half_year", date(2026, 9, 2), False),
        ("new_birth_visit", DOB - DAY, False),
    ],
)
def test_is_within_metric_edges(contact: str, contact_date: date, expected: bool) -> None:
    w = by_contact(windows(dob=DOB))[contact]
    assert is_within_metric(w, contact_date) is expected


def test_dob_only_gives_postnatal_windows_only() -> None:
    assert [w.contact for w in windows(dob=DOB)] == [
        "new_birth_visit",
        "six_to_eight_week",
        "twelve_month",
        "two_to_two_and_half_year",
    ]


# --- windows: antenatal -----------------------------------------------------

EDD = date(2024, 6, 30)


def test_edd_only_gives_antenatal_window_only() -> None:
    [w] = windows(edd=EDD)
    assert (w.contact, w.window_start, w.window_end, w.metric_deadline) == (
        "antenatal",
        EDD - 84 * DAY,
        EDD,
        EDD,
    )
    assert (w.csds_code, w.mandated) == (None, True)


def test_antenatal_ends_at_birth_when_born() -> None:
    dob = EDD + 10 * DAY
    w = by_contact(windows(edd=EDD, dob=dob))["antenatal"]
    assert (w.window_start, w.window_end, w.metric_deadline) == (
        EDD - 84 * DAY,
        dob,
        dob,
    )


@pytest.mark.parametrize(
    ("days_before_edd", "has_antenatal"),
    [(0, True), (30, True), (84, True), (85, False), (120, False)],
)
def test_birth_before_28_weeks_omits_antenatal(days_before_edd: int, has_antenatal: bool) -> None:
    ws = windows(edd=EDD, dob=EDD - days_before_edd * DAY)
    assert ("antenatal" in by_contact(ws)) is has_antenatal
    assert len(ws) == 4 + has_antenatal


@pytest.mark.parametrize(
    ("contact_date", "expected"),
    [
        (EDD - 85 * DAY, False),  # before 28 weeks
        (EDD - 84 * DAY, True),  # exactly 28 weeks
        (EDD, True),
        (EDD + DAY, False),
    ],
)
def test_antenatal_metric_from_28_weeks(contact_date: date, expected: bool) -> None:
    [w] = windows(edd=EDD)
    assert is_within_metric(w, contact_date) is expected


def test_neither_date_raises() -> None:
    with pytest.raises(ValueError, match="needs an EDD, a date of birth, or both"):
        windows()


# --- status and serialisation -----------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (DOB + 9 * DAY, "upcoming"),
        (DOB + 10 * DAY, "due"),
        (DOB + 14 * DAY, "due"),
        (DOB + 15 * DAY, "overdue"),
    ],
)
def test_status_on(today: date, expected: str) -> None:
    w = by_contact(windows(dob=DOB))["new_birth_visit"]
    assert status_on(w, today) == expected


def test_window_to_dict_uses_iso_dates() -> None:
    w = by_contact(windows(dob=DOB))["new_birth_visit"]
    assert window_to_dict(w) == {
        "contact": "new_birth_visit",
        "window_start": "2024-03-11",
        "window_end": "2024-03-15",
    }


# --- local rules and validation ---------------------------------------------


def test_local_contact_added_via_rule_set() -> None:
    local = RuleSet(version="local-1", rules=(*DEFAULT_RULES.rules, THREE_TO_FOUR_MONTH))
    ws = windows(dob=DOB, rules=local)
    w = by_contact(ws)["three_to_four_month"]
    assert (w.window_start, w.window_end, w.mandated) == (
        DOB + 84 * DAY,
        DOB + 122 * DAY,
        False,
    )
    assert [x.contact for x in ws][2] == "three_to_four_month"


def test_rule_set_rejects_duplicate_contacts() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        RuleSet(version="bad", rules=DEFAULT_RULES.rules + DEFAULT_RULES.rules[:1])


def test_rule_rejects_inverted_offsets() -> None:
    with pytest.raises(ValueError, match="start_offset <= end_offset"):
        Rule(
            contact="x",
            label="X",
            anchor="dob",
            unit="days",
            start_offset=10,
            end_offset=5,
            metric_offset=10,
        )


# --- properties ---------------------------------------------------------------


@given(dob=dates, edd_offset=edd_offsets)
def test_windows_are_ordered_and_sorted(dob: date, edd_offset: int) -> None:
    ws = windows(edd=dob + edd_offset * DAY, dob=dob)
    assert all(w.metric_start <= w.window_start <= w.window_end <= w.metric_deadline for w in ws)
    assert all(a.window_start <= b.window_start for a, b in pairwise(ws))


@given(dob=dates, edd_offset=edd_offsets)
def test_only_antenatal_starts_before_birth(dob: date, edd_offset: int) -> None:
    ws = windows(edd=dob + edd_offset * DAY, dob=dob)
    postnatal = list(filter(lambda w: w.contact != "antenatal", ws))
    assert len(postnatal) == 4
    assert all(w.window_start > dob for w in postnatal)
    assert all(w.window_end <= dob for w in ws[: len(ws) - 4])


@given(edd=dates)
def test_edd_only_never_gives_postnatal_windows(edd: date) -> None:
    assert [w.contact for w in windows(edd=edd)] == ["antenatal"]
