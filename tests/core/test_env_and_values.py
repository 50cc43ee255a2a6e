from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pimh.config.env import ConfigError, env_bool, env_int, env_list, env_str
from pimh.core.logging import RedactFilter, redact
from pimh.core.values import InvalidIdentifier, NhsNumber, SnomedCode


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("1", True), ("Off", False), ("", False)])
def test_env_bool(raw, expected):
    assert env_bool("X", default=not expected, environ={"X": raw}) is expected


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: env_bool("DEBUG", False, environ={"DEBUG": "maybe"}), "DEBUG must be true or false, not 'maybe'"),
        (lambda: env_int("N", 1, environ={"N": "ten"}), "N must be a whole number, not 'ten'"),
        (lambda: env_int("N", 1, minimum=1, environ={"N": "0"}), "N must be at least 1, not 0"),
        (lambda: env_str("SECRET_KEY", environ={}), "SECRET_KEY must be set"),
    ],
)
def test_bad_settings_fail_loudly(call, message):
    with pytest.raises(ConfigError, match=message):
        call()


def test_env_list_and_defaults():
    assert env_list("H", ["a"], environ={"H": " x, y ,,"}) == ["x", "y"]
    assert env_list("H", ["a"], environ={}) == ["a"]
    assert env_int("N", 7, environ={}) == 7


@pytest.mark.parametrize("text", ["9990000018", "999 000 0018", "999-000-0018"])
def test_nhs_number_accepts_written_forms(text):
    assert NhsNumber.parse(text).value == "9990000018"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9990000017", "not a valid NHS number"),
        ("999000001", "10 digits"),
        ("99900000189", "10 digits"),
        ("abcdefghij", "10 digits"),
        ("", "10 digits"),
    ],
)
def test_nhs_number_refuses_bad_numbers_without_repeating_them(text, message):
    with pytest.raises(InvalidIdentifier, match=message) as error:
        NhsNumber.parse(text)
    assert text not in str(error.value) or text == ""


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_exactly_one_check_digit_or_none_makes_a_valid_number(first_nine):
    valid = []
    for check in "0123456789":
        try:
            valid.append(NhsNumber(first_nine + check))
        except InvalidIdentifier:
            pass
    assert len(valid) <= 1


@pytest.mark.parametrize("code", ["450320001", "720433000", "445455005", "803351000000106", "836541000000100"])
def test_snomed_codes_from_the_domain_reference_validate(code):
    assert str(SnomedCode(code)) == code


@pytest.mark.parametrize("code", ["450320002", "12345", "0450320001", "abc"])
def test_snomed_code_with_bad_check_digit_is_refused(code):
    with pytest.raises(InvalidIdentifier):
        SnomedCode(code)


def test_log_lines_never_carry_an_nhs_number():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "lookup %s failed", ("999 000 0018",), None)
    RedactFilter().filter(record)
    assert record.getMessage() == "lookup [redacted] failed"
    assert redact("9990000018 and 999-000-0018") == "[redacted] and [redacted]"
