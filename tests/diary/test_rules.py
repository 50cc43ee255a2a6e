"""The diary's pure rules (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from pimh.diary import rules

FROM, BY = dt.date(2026, 3, 10), dt.date(2026, 3, 24)


@pytest.mark.parametrize(
    ("day", "position"),
    [
        (dt.date(2026, 3, 9), rules.WindowPosition.BEFORE),
        (FROM, rules.WindowPosition.INSIDE),
        (dt.date(2026, 3, 17), rules.WindowPosition.INSIDE),
        (BY, rules.WindowPosition.INSIDE),
        (dt.date(2026, 3, 25), rules.WindowPosition.AFTER),
    ],
)
def test_both_ends_of_the_window_are_inside_it(day, position):
    assert rules.window_position(day, due_from=FROM, due_by=BY) is position


def test_no_warning_inside_the_window():
    assert rules.window_warning(BY, due_from=FROM, due_by=BY, label="6 to 8 week review") is None


def test_a_booking_after_the_window_warns_with_the_window():
    warning = rules.window_warning(dt.date(2026, 3, 25), due_from=FROM, due_by=BY, label="6 to 8 week review")
    assert warning.startswith("This booking is after the window of the 6 to 8 week review (10 Mar 2026 to 24 Mar 2026)")


def test_a_booking_before_the_window_warns():
    warning = rules.window_warning(dt.date(2026, 3, 9), due_from=FROM, due_by=BY, label="New birth visit")
    assert warning.startswith("This booking is before the window")


def test_a_week_runs_monday_to_sunday():
    days = rules.shown_days(dt.date(2026, 3, 12), rules.WEEK)  # a Thursday
    assert (days[0], days[-1], len(days)) == (dt.date(2026, 3, 9), dt.date(2026, 3, 15), 7)
    assert rules.week_start(dt.date(2026, 3, 9)) == dt.date(2026, 3, 9)
    assert rules.week_start(dt.date(2026, 3, 15)) == dt.date(2026, 3, 9)


def test_a_day_view_shows_one_day():
    assert rules.shown_days(dt.date(2026, 3, 12), rules.DAY) == [dt.date(2026, 3, 12)]


@pytest.mark.parametrize(
    ("view", "direction", "expected"),
    [
        (rules.DAY, -1, dt.date(2026, 2, 28)),
        (rules.DAY, 1, dt.date(2026, 3, 2)),
        (rules.WEEK, -1, dt.date(2026, 2, 22)),
        (rules.WEEK, 1, dt.date(2026, 3, 8)),
    ],
)
def test_previous_and_next_move_by_a_day_or_a_week(view, direction, expected):
    assert rules.step(dt.date(2026, 3, 1), view, direction) == expected


@pytest.mark.parametrize("text", [None, "", "2026-02-30", "next tuesday"])
def test_a_missing_or_bad_date_shows_today(text):
    assert rules.parse_day(text, today=FROM) == FROM


def test_a_date_in_the_address_is_shown():
    assert rules.parse_day("2026-12-25", today=FROM) == dt.date(2026, 12, 25)


@pytest.mark.parametrize(("text", "view"), [("week", "week"), ("day", "day"), ("month", "day"), (None, "day")])
def test_the_view_is_a_day_unless_a_week_is_asked_for(text, view):
    assert rules.parse_view(text) == view


def test_booked_text_names_the_day_and_time():
    assert rules.booked_text(dt.date(2026, 3, 12), dt.time(10, 0)) == "Booked for 12 Mar 10:00"
