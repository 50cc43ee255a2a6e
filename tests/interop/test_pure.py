"""The pure parts of the CSDS extract and the import: no database."""

from __future__ import annotations

import datetime as dt

import pytest

from pimh.interop import csds, rows


def test_a_month_is_its_first_to_last_day_including_a_leap_february():
    assert (csds.month("2028-02").start, csds.month("2028-02").end) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "26-10", "2026-1", "october"])
def test_a_month_not_written_yyyy_mm_is_refused(text):
    with pytest.raises(ValueError, match="expected a month written YYYY-MM"):
        csds.month(text)


@pytest.mark.parametrize(
    ("contact_type", "recorded", "expected"),
    [
        ("new_birth_visit", "", "08"),
        ("six_to_eight_week", "97", "09"),
        ("twelve_month", "", "10"),
        ("two_to_two_and_half_year", "", "11"),
        ("listening_visit", "", "04"),
        ("additional", "", "97"),
        ("targeted", "03", "03"),
    ],
)
def test_mandated_reviews_are_always_08_to_11(contact_type, recorded, expected):
    assert csds.activity_type(contact_type=contact_type, recorded_code=recorded) == expected


def test_duplicate_keys_are_integrity_problems():
    row = dict.fromkeys(csds.TABLES["CYP901StaffDetails"], "")
    tables = {"CYP901StaffDetails": [{**row, "CareProfLocalID": "U1"}, {**row, "CareProfLocalID": "U1"}]}
    assert csds.integrity_problems(tables) == ["CYP901StaffDetails: CareProfLocalID U1 appears more than once"]


def test_a_header_in_any_order_names_its_kind_and_an_unknown_one_none():
    assert (rows.kind_of(reversed(rows.COLUMNS["people"])), rows.kind_of(["id", "name"])) == ("people", None)


def context() -> rows.Context:
    return rows.Context(
        today=dt.date(2026, 12, 1),
        choices={
            "service_level": frozenset({"universal"}),
            "safeguarding": frozenset({"none"}),
            "role": frozenset({"infant", "father"}),
            "sex": frozenset({"M"}),
            "ethnic_category": frozenset({"A"}),
        },
        teams=frozenset({"Team A"}),
        practitioners=frozenset(),
        families={"F1"},
        people={"P1": ("F1", "9434765919")},
        nhs_numbers={"9434765919": "P1"},
    )


def person(**values: str) -> dict[str, str]:
    base = dict.fromkeys(rows.COLUMNS["people"], "")
    base.update(
        source_id="P2", family_source_id="F1", role="father", nhs_number="9434765870", given_name="A", family_name="B"
    )
    base.update(values)
    return base


def test_a_repeat_with_the_same_nhs_number_is_skipped_not_imported():
    checked = rows.check([("p.csv", "people", [(2, person(source_id="P1", nhs_number="943 476 5919"))])], context())
    assert (checked.repeats["people"], checked.new["people"], checked.problems) == (1, [], [])


def test_an_nhs_number_recorded_for_another_person_is_never_merged():
    checked = rows.check([("p.csv", "people", [(2, person(nhs_number="9434765919"))])], context())
    assert checked.problems == [
        rows.Problem("p.csv", 2, "nhs_number", "a person with this NHS number is already recorded: not merged")
    ]


def test_an_infant_needs_a_date_of_birth_within_the_child_bounds():
    checked = rows.check([("p.csv", "people", [(2, person(role="infant", date_of_birth="2000-01-01"))])], context())
    assert [(p.column, p.reason) for p in checked.problems] == [
        ("date_of_birth", "A child's date of birth must be on or after 1 December 2007")
    ]
