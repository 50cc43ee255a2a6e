"""Statistical disclosure control (data-standards.md section 2). Pure: no Django.

Two published presets and ``none``; the preset's name is stamped on every output.

- ``nhsd-2018`` (default, NHS Digital HES/ECDS method 2018): below national level counts 1-7 are
  ``*``, every other count is rounded to the nearest 5 (0 stays 0); a percentage is computed from the
  **rounded** numerator and denominator, ``*`` if either is ``*``, to 1 decimal place only when the
  rounded denominator is at least 4,000, else to whole numbers.
- ``mhsds`` (NHS England mental health statistics): counts under 5 are ``*`` (0 included, as the rule
  is written), others 5 x round(x / 5); a percentage is ``*`` when the numerator or denominator is
  under 5, else computed from the unrounded values to 1 decimal place.
- ``none``: nothing is changed (national figures, or internal use).

Totals are computed from unrounded values and rounded afterwards, so rows need not add up; there is no
secondary suppression.
"""

from __future__ import annotations

from dataclasses import dataclass

SUPPRESSED = "*"


@dataclass(frozen=True)
class DisclosureRule:
    version: str = "nhsd-2018"
    suppress_from: int = 1
    suppress_to: int = 7
    round_to: int = 5
    percent_from_rounded: bool = True
    one_decimal_from: int | None = 4000  # None: always one decimal place


PRESETS: dict[str, DisclosureRule | None] = {
    "nhsd-2018": DisclosureRule(),
    "mhsds": DisclosureRule(
        version="mhsds", suppress_from=0, suppress_to=4, round_to=5, percent_from_rounded=False, one_decimal_from=None
    ),
    "none": None,
}
DEFAULT_PRESET = "nhsd-2018"
DEFAULT_RULE = DisclosureRule()

Published = int | str


def protect(count: int, rule: DisclosureRule | None = DEFAULT_RULE) -> Published:
    """A count made safe to publish: ``*`` or a multiple of ``rule.round_to`` (unchanged with no rule)."""
    if count < 0:
        raise ValueError("A count cannot be negative")
    if rule is None:
        return count
    if rule.suppress_from <= count <= rule.suppress_to:
        return SUPPRESSED
    # Round half up (2.5 -> 5), as published tables do; Python's round() would go to even.
    return ((count + rule.round_to // 2) // rule.round_to) * rule.round_to


def protect_percent(numerator: int, denominator: int, rule: DisclosureRule | None = DEFAULT_RULE) -> float | str | None:
    """The published percentage (``None`` when the denominator is 0), following the rule's percentage clause."""
    if rule is None:
        return None if denominator == 0 else 100.0 * numerator / denominator
    if rule.percent_from_rounded:
        top, bottom = protect(numerator, rule), protect(denominator, rule)
        if top == SUPPRESSED or bottom == SUPPRESSED:
            return SUPPRESSED
        assert isinstance(top, int) and isinstance(bottom, int)
    else:
        if protect(numerator, rule) == SUPPRESSED or protect(denominator, rule) == SUPPRESSED:
            return SUPPRESSED
        top, bottom = numerator, denominator
    if bottom == 0:
        return None
    places = 1 if rule.one_decimal_from is None or bottom >= rule.one_decimal_from else 0
    return round(100.0 * top / bottom, places)


def preset(name: str) -> DisclosureRule | None:
    if name not in PRESETS:
        raise ValueError(f"unknown disclosure preset {name!r} (choose from {', '.join(PRESETS)})")
    return PRESETS[name]
