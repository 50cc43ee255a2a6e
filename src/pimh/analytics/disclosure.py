"""Statistical disclosure control (domain reference section 6). Pure: no Django.

Default NHS Digital rule below national level: counts 1-7 are suppressed and
shown as ``*``; every other count is rounded to the nearest 5.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DisclosureRule:
    version: str = "nhsd-sdc-1"
    suppress_from: int = 1
    suppress_to: int = 7
    round_to: int = 5


DEFAULT_RULE = DisclosureRule()
SUPPRESSED = "*"


def protect(count: int, rule: DisclosureRule = DEFAULT_RULE) -> int | str:
    """A count made safe to publish: ``*`` or a multiple of ``rule.round_to``."""
    if count < 0:
        raise ValueError("A count cannot be negative")
    if rule.suppress_from <= count <= rule.suppress_to:
        return SUPPRESSED
    # Round half up (2.5 -> 5), as published tables do; Python's round() would go to even.
    return ((count + rule.round_to // 2) // rule.round_to) * rule.round_to
