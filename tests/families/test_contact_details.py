"""Contact details rules (no database): postcode, phone, LSOA, ODS code, alerts."""

from __future__ import annotations

import pytest

from pimh.families.contact_details import (
    ContactDetails,
    InvalidDetail,
    cleaned,
    lsoa_value,
    ods_value,
    phone_text,
    phone_value,
    postcode_value,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("SW1A 1AA", "SW1A 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        ("  ls1   4ap ", "LS1 4AP"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("gir 0aa", "GIR 0AA"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_a_well_formed_postcode_is_stored_in_capitals_with_one_space(typed, stored):
    assert postcode_value(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "SW1A",  # outward code only
        "SW1A 1A",  # inward code too short
        "SW1A 1AAA",
        "QW1 1AA",  # Q never starts a postcode
        "SW1A 1CA",  # C never appears in the inward code's letters
        "1AA SW1",
        "SW1A-1AA",
        "12345",
    ],
)
def test_a_malformed_postcode_is_refused_with_an_example(typed):
    with pytest.raises(InvalidDetail, match="Enter a real UK postcode, for example SW1A 1AA"):
        postcode_value(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07700 900123", "07700900123"),
        ("07700-900-123", "07700900123"),
        ("+44 7700 900123", "07700900123"),
        ("+44 (0)7700 900123", "07700900123"),
        ("0044 7700 900123", "07700900123"),
        ("(020) 7946 0000", "02079460000"),
        ("01632 960000", "01632960000"),
        ("0169 77 2000", "0169772000"),  # a 10-digit geographic number
        ("", ""),
    ],
)
def test_a_uk_phone_number_is_stored_as_digits(typed, stored):
    assert phone_value(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("07700 90012", "10 or 11 digits"),  # 10 digits: too short for a mobile? accepted as 0 + 9 digits
        ("07700 9001234", "10 or 11 digits"),
        ("7700 900123", "starting with 0"),
        ("09098 790000", "10 or 11 digits"),  # premium rate
        ("04700 900123", "10 or 11 digits"),  # unused range
        ("+1 202 555 0100", "only country code"),
        ("call 07700 900123", "digits only"),
    ],
)
def test_a_bad_phone_number_is_refused(typed, message):
    with pytest.raises(InvalidDetail, match=message):
        phone_value(typed)


def test_phone_numbers_are_grouped_for_reading():
    assert [phone_text(v) for v in ("07700900123", "02079460000", "0169772000")] == [
        "07700 900123",
        "020 7946 0000",
        "0169772000",
    ]


@pytest.mark.parametrize(("typed", "stored"), [("e01000001", "E01000001"), (" W01000123 ", "W01000123"), ("", "")])
def test_an_lsoa_code_is_e01_or_w01_and_six_digits(typed, stored):
    assert lsoa_value(typed) == stored


@pytest.mark.parametrize("typed", ["E0100001", "E010000012", "S01000001", "E02000001", "E01-000001"])
def test_a_bad_lsoa_code_is_refused(typed):
    with pytest.raises(InvalidDetail, match="E01 or W01 and 6 numbers"):
        lsoa_value(typed)


@pytest.mark.parametrize(("typed", "stored"), [("a81001", "A81001"), ("Y02494", "Y02494")])
def test_a_gp_practice_code_is_a_letter_and_five_digits(typed, stored):
    assert ods_value(typed) == stored


@pytest.mark.parametrize("typed", ["A8100", "A810011", "81001A", "RX1"])
def test_a_bad_gp_practice_code_is_refused(typed):
    with pytest.raises(InvalidDetail, match="a letter and 5 numbers"):
        ods_value(typed)


def test_cleaned_normalises_every_field_and_orders_the_alerts():
    details = ContactDetails(
        address_line_1="  1  Example   Street ",
        postcode="ls14ap",
        phone="+44 7700 900123",
        gp_practice_code="b86001",
        gp_practice_name="Example Surgery",
        alerts=(("animals", " Two large dogs "), ("lone_worker", "Visit in pairs")),
    )
    result, errors = cleaned(details)
    assert errors == {}
    assert (result.address_line_1, result.postcode, result.phone, result.gp_practice_code) == (
        "1 Example Street",
        "LS1 4AP",
        "07700900123",
        "B86001",
    )
    assert result.alerts == (("lone_worker", "Visit in pairs"), ("animals", "Two large dogs"))


def test_cleaned_names_each_bad_field_and_keeps_what_was_typed():
    result, errors = cleaned(ContactDetails(postcode="nonsense", phone="123", lsoa_code="X1", gp_practice_code="?"))
    assert set(errors) == {"postcode", "phone", "lsoa_code", "gp_practice_code"}
    assert (result.postcode, result.phone) == ("nonsense", "123")


def test_a_gp_practice_name_needs_its_code():
    _, errors = cleaned(ContactDetails(gp_practice_name="Example Surgery"))
    assert errors == {"gp_practice_code": "Enter the GP practice's ODS code as well as its name"}


def test_the_lookup_derives_the_lsoa_code_from_the_postcode():
    lookup = {"LS1 4AP": "E01011365"}.get
    result, errors = cleaned(ContactDetails(postcode="ls1 4ap", lsoa_code="E01000001"), lsoa_for=lookup)
    assert (result.lsoa_code, errors) == ("E01011365", {})


def test_a_postcode_not_in_the_lookup_keeps_the_code_typed():
    result, errors = cleaned(ContactDetails(postcode="M1 1AE", lsoa_code="e01005131"), lsoa_for={}.get)
    assert (result.lsoa_code, errors) == ("E01005131", {})


def test_an_unknown_alert_kind_or_long_text_is_refused():
    _, errors = cleaned(ContactDetails(alerts=(("dragons", ""), ("lone_worker", "x" * 201))))
    assert errors == {
        "alerts": "Choose alerts from the list",
        "alert_lone_worker_text": "Lone-worker risk: details must be 200 characters or fewer",
    }
