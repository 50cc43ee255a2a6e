"""Clinical identifiers as value objects that validate when made.

Pure Python: no Django import. Error messages never repeat the identifier
itself, so they are safe to show and never leak patient data into logs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nhs_number.validate import is_valid as _nhs_is_valid

_DIGITS = re.compile(r"^\d{10}$")


class InvalidIdentifier(ValueError):
    """An identifier failed validation."""


@dataclass(frozen=True, slots=True)
class NhsNumber:
    """A 10-digit NHS number with a valid modulus 11 check digit (checked by `nhs-number`)."""

    value: str

    def __post_init__(self) -> None:
        if not _DIGITS.match(self.value):
            raise InvalidIdentifier("An NHS number has 10 digits")
        if not _nhs_is_valid(self.value):
            raise InvalidIdentifier("This is not a valid NHS number: check the digits")

    @classmethod
    def parse(cls, text: str) -> NhsNumber:
        """Accept the usual written forms: spaces or dashes in 3-3-4 groups."""
        return cls(re.sub(r"[\s-]", "", text or ""))

    @property
    def formatted(self) -> str:
        return f"{self.value[:3]} {self.value[3:6]} {self.value[6:]}"

    def __str__(self) -> str:
        return self.value


_SNOMED = re.compile(r"^[1-9]\d{5,17}$")


def _verhoeff_ok(digits: str) -> bool:
    d = (
        (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
        (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
        (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
        (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
        (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
        (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
        (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
        (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
        (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
        (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
    )
    p = (
        (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
        (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
        (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
        (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
        (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
        (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
        (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
        (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
    )
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = d[c][p[i % 8][int(ch)]]
    return c == 0


@dataclass(frozen=True, slots=True)
class SnomedCode:
    """A SNOMED CT concept id: 6-18 digits with a valid Verhoeff check digit."""

    value: str

    def __post_init__(self) -> None:
        if not _SNOMED.match(self.value) or not _verhoeff_ok(self.value):
            raise InvalidIdentifier(f"{self.value!r} is not a valid SNOMED CT identifier")

    def __str__(self) -> str:
        return self.value
