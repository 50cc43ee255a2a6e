"""A household's contact details: UK postcode, phone number, LSOA and GP practice codes, alerts.

Pure (no Django): each ``*_value`` function returns the value as stored (normalised) or raises
``InvalidDetail`` with the message shown to the user. Tested in tests/families/test_contact_details.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

# The UK postcode format (outward code, then inward code: a digit and two letters), with the letters
# each position may hold; GIR 0AA is the one exception. Checked without the space.
_POSTCODE = re.compile(
    r"GIR0AA|[A-PR-UWYZ](?:[0-9][0-9A-HJKPS-UW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?)[0-9][ABD-HJLNP-UW-Z]{2}"
)
LSOA_CODE = re.compile(r"[EW]01[0-9]{6}")  # ONS lower layer super output area, England or Wales
ODS_PRACTICE = re.compile(r"[A-Z][0-9]{5}")  # a GP practice's ODS code, for example A81001
# A UK number written nationally, starting with 0: 11 digits for 02 (London and others), 03 and 07
# (mobile); 10 or 11 for 01 (some small areas have 10), 05 and 08 (some freephone numbers have 10).
# 09 (premium rate) and the unused 04 and 06 ranges are refused.
_PHONE = re.compile(r"0(?:[237][0-9]{9}|[158][0-9]{8,9})")
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")

ADDRESS_LINE_MAX = 100
TOWN_MAX = 60
GP_NAME_MAX = 100
ALERT_TEXT_MAX = 200

ALERT_KINDS: tuple[tuple[str, str], ...] = (
    ("lone_worker", "Lone-worker risk"),
    ("aggression", "Violence or aggression towards staff"),
    ("animals", "Animals at the address"),
    ("access", "Access or safety at the address"),
    ("other", "Other alert"),
)
ALERT_LABELS = dict(ALERT_KINDS)


class InvalidDetail(ValueError):
    """A contact detail that is not well formed; the message is shown to the user."""


def postcode_value(text: str) -> str:
    """``sw1a1aa`` or `` SW1A  1AA `` become ``SW1A 1AA``; empty stays empty."""
    compact = re.sub(r"\s+", "", text).upper()
    if not compact:
        return ""
    if not _POSTCODE.fullmatch(compact):
        raise InvalidDetail("Enter a real UK postcode, for example SW1A 1AA")
    return f"{compact[:-3]} {compact[-3:]}"


def phone_value(text: str) -> str:
    """A UK phone number as 10 or 11 digits starting with 0 (+44 and 0044 are turned into 0)."""
    compact = _PHONE_SEPARATORS.sub("", text.replace("(0)", ""))
    if not compact:
        return ""
    for international in ("+44", "0044"):
        if compact.startswith(international):
            compact = "0" + compact[len(international) :]
    if compact.startswith("+"):
        raise InvalidDetail("Enter a UK phone number: +44 is the only country code accepted")
    if not compact.isdigit():
        raise InvalidDetail("Enter a UK phone number using digits only, for example 07700 900123")
    if not _PHONE.fullmatch(compact):
        raise InvalidDetail("Enter a UK phone number of 10 or 11 digits starting with 0, for example 07700 900123")
    return compact


def phone_text(value: str) -> str:
    """A stored number grouped for reading: 020 7946 0000, 07700 900123, 01632 960000."""
    if len(value) == 11 and value.startswith("02"):
        return f"{value[:3]} {value[3:7]} {value[7:]}"
    if len(value) == 11:
        return f"{value[:5]} {value[5:]}"
    return value


def lsoa_value(text: str) -> str:
    compact = text.strip().upper()
    if compact and not LSOA_CODE.fullmatch(compact):
        raise InvalidDetail("Enter the LSOA code as E01 or W01 and 6 numbers, for example E01000001")
    return compact


def ods_value(text: str) -> str:
    compact = text.strip().upper()
    if compact and not ODS_PRACTICE.fullmatch(compact):
        raise InvalidDetail("Enter the GP practice's ODS code as a letter and 5 numbers, for example A81001")
    return compact


@dataclass(frozen=True)
class ContactDetails:
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""
    lsoa_code: str = ""
    phone: str = ""
    gp_practice_code: str = ""
    gp_practice_name: str = ""
    alerts: tuple[tuple[str, str], ...] = ()  # (kind, free text), in ALERT_KINDS order


STORED_FIELDS = (
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "lsoa_code",
    "phone",
    "gp_practice_code",
    "gp_practice_name",
    "alerts",
)


def _text_problem(value: str, limit: int, what: str) -> str | None:
    return f"{what} must be {limit} characters or fewer" if len(value) > limit else None


def cleaned(
    details: ContactDetails, *, lsoa_for: Callable[[str], str | None] | None = None
) -> tuple[ContactDetails, dict[str, str]]:
    """The details normalised, and a message per bad field (empty when all are well formed).

    With a lookup (``lsoa_for``: postcode to LSOA code, or None when not found), the LSOA code is
    derived from the postcode and replaces what was typed; without one, or for a postcode not in
    it, the LSOA code typed is kept (checked).
    """
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for name, check in (
        ("postcode", postcode_value),
        ("phone", phone_value),
        ("lsoa_code", lsoa_value),
        ("gp_practice_code", ods_value),
    ):
        try:
            values[name] = check(getattr(details, name))
        except InvalidDetail as error:
            errors[name] = str(error)
            values[name] = getattr(details, name)
    for name, limit, what in (
        ("address_line_1", ADDRESS_LINE_MAX, "Address line 1"),
        ("address_line_2", ADDRESS_LINE_MAX, "Address line 2"),
        ("town", TOWN_MAX, "Town or city"),
        ("gp_practice_name", GP_NAME_MAX, "GP practice name"),
    ):
        values[name] = " ".join(getattr(details, name).split())
        if problem := _text_problem(values[name], limit, what):
            errors[name] = problem
    if values["gp_practice_name"] and not values["gp_practice_code"] and "gp_practice_code" not in errors:
        errors["gp_practice_code"] = "Enter the GP practice's ODS code as well as its name"
    if lsoa_for is not None and values["postcode"] and "postcode" not in errors:
        found = lsoa_for(values["postcode"])
        if found:
            values["lsoa_code"] = found
            errors.pop("lsoa_code", None)
    alerts = []
    for kind, text in details.alerts:
        if kind not in ALERT_LABELS:
            errors["alerts"] = "Choose alerts from the list"
            continue
        text = " ".join(text.split())
        if problem := _text_problem(text, ALERT_TEXT_MAX, ALERT_LABELS[kind] + ": details"):
            errors[f"alert_{kind}_text"] = problem
        alerts.append((kind, text))
    order = [kind for kind, _ in ALERT_KINDS]
    alerts.sort(key=lambda alert: order.index(alert[0]))
    return replace(details, alerts=tuple(alerts), **values), errors
