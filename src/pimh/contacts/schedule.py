"""Healthy Child Programme contact windows (pure, no Django).

Computes the five mandated HCP contact windows from an estimated date of
delivery (EDD) and/or a date of birth (DoB), following the domain reference
(/work/shared/domain/pimh-domain.md, section 2, "The mandated contacts and the
national metrics"). The windows are data: each ``Rule`` is a frozen dataclass
and a ``RuleSet`` carries a ``version`` so a change of national definition is
a new rule set, not a code change.

Adding local (non-mandated) contacts: build a new ``RuleSet`` from the
defaults plus your rules, for example::

    LOCAL_RULES = RuleSet(
        version="hcp-england-2026.1+local-1",
        rules=DEFAULT_RULES.rules + (THREE_TO_FOUR_MONTH,),
    )
    windows(dob=some_date, rules=LOCAL_RULES)

Month offsets are exact calendar months, clamped to the end of the month
(``add_months``); day offsets are plain days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pimh.core.ages import add_months

Anchor = Literal["edd", "dob"]
Unit = Literal["days", "months"]
Status = Literal["upcoming", "due", "overdue"]


def _offset(anchor: date, amount: int, unit: Unit) -> date:
    if unit == "months":
        return add_months(anchor, amount)
    return anchor + timedelta(days=amount)


@dataclass(frozen=True)
class Rule:
    """One contact's target window and metric limit (domain reference section 2).

    Offsets are counted from the anchor in ``unit``. ``metric_offset`` is the
    last day counted by the national metric. ``counts_early`` means the metric
    counts any contact from the anchor date onwards ("by 8 weeks"); otherwise
    only from the window start (antenatal: "at 28 weeks or later").
    ``ends_at_birth`` makes the window end (and metric deadline) the date of
    birth once it is known, instead of the anchor-based end.
    """

    contact: str
    label: str
    anchor: Anchor
    unit: Unit
    start_offset: int
    end_offset: int
    metric_offset: int
    csds_code: str | None = None
    mandated: bool = True
    expiry_offset: int | None = None  # after this the task lapses (default: the metric limit)
    counts_early: bool = True
    ends_at_birth: bool = False

    def __post_init__(self) -> None:
        if self.anchor not in ("edd", "dob"):
            raise ValueError(f"rule {self.contact!r}: anchor must be 'edd' or 'dob'")
        if self.unit not in ("days", "months"):
            raise ValueError(f"rule {self.contact!r}: unit must be 'days' or 'months'")
        if not self.start_offset <= self.end_offset <= self.metric_offset:
            raise ValueError(f"rule {self.contact!r}: need start_offset <= end_offset <= metric_offset")


@dataclass(frozen=True)
class RuleSet:
    """A versioned, ordered collection of rules with unique contact identifiers."""

    version: str
    rules: tuple[Rule, ...]

    def __post_init__(self) -> None:
        names = [rule.contact for rule in self.rules]
        if len(names) != len(set(names)):
            raise ValueError(f"rule set {self.version!r} has duplicate contact identifiers")


ANTENATAL = Rule(
    contact="antenatal",
    label="Antenatal contact",
    anchor="edd",
    unit="days",
    start_offset=-84,
    end_offset=0,
    metric_offset=0,
    counts_early=False,
    ends_at_birth=True,
    expiry_offset=14,
)  # from 28 weeks (EDD - 12 weeks) to birth; metric C1
NEW_BIRTH_VISIT = Rule(
    contact="new_birth_visit",
    label="New birth visit",
    anchor="dob",
    unit="days",
    start_offset=10,
    end_offset=14,
    metric_offset=14,
    csds_code="08",
    expiry_offset=42,
)  # metric C2: within 14 days
SIX_TO_EIGHT_WEEK = Rule(
    contact="six_to_eight_week",
    label="6 to 8 week review",
    anchor="dob",
    unit="days",
    start_offset=42,
    end_offset=56,
    metric_offset=56,
    csds_code="09",
    expiry_offset=84,
)  # metric C8i: by 8 weeks
TWELVE_MONTH = Rule(
    contact="twelve_month",
    label="12 month review",
    anchor="dob",
    unit="months",
    start_offset=9,
    end_offset=12,
    metric_offset=15,
    csds_code="10",
)  # metrics C4 (by 12 months) and C5 (by 15 months)
TWO_TO_TWO_AND_HALF_YEAR = Rule(
    contact="two_to_two_and_half_year",
    label="2 to 2½ year review",
    anchor="dob",
    unit="months",
    start_offset=24,
    end_offset=30,
    metric_offset=30,
    csds_code="11",
    expiry_offset=36,
)  # metric C6i: by 2½ years

THREE_TO_FOUR_MONTH = Rule(
    contact="three_to_four_month",
    label="3 to 4 month contact",
    anchor="dob",
    unit="days",
    start_offset=84,
    end_offset=122,
    metric_offset=122,
    mandated=False,
)  # example local contact, not in DEFAULT_RULES

DEFAULT_RULES = RuleSet(
    version="hcp-england-2026.1",
    rules=(
        ANTENATAL,
        NEW_BIRTH_VISIT,
        SIX_TO_EIGHT_WEEK,
        TWELVE_MONTH,
        TWO_TO_TWO_AND_HALF_YEAR,
    ),
)


@dataclass(frozen=True)
class Window:
    """A computed contact window for one child (domain reference section 2).

    ``metric_start`` .. ``metric_deadline`` is the span the national metric
    counts (``is_within_metric``); ``window_start`` .. ``window_end`` is the
    target window used for scheduling (``status_on``).
    """

    contact: str
    label: str
    window_start: date
    window_end: date
    metric_start: date
    metric_deadline: date
    csds_code: str | None
    mandated: bool
    expires_on: date  # the last day a contact can still be offered for this window


def _window(rule: Rule, anchor: date, dob: date | None) -> Window:
    start = _offset(anchor, rule.start_offset, rule.unit)
    end = _offset(anchor, rule.end_offset, rule.unit)
    deadline = _offset(anchor, rule.metric_offset, rule.unit)
    expires = _offset(anchor, rule.metric_offset if rule.expiry_offset is None else rule.expiry_offset, rule.unit)
    if rule.ends_at_birth and dob is not None:
        end = deadline = expires = dob
    return Window(
        contact=rule.contact,
        label=rule.label,
        window_start=start,
        window_end=end,
        metric_start=anchor if rule.counts_early else start,
        metric_deadline=deadline,
        csds_code=rule.csds_code,
        mandated=rule.mandated,
        expires_on=expires,
    )


def windows(*, edd: date | None = None, dob: date | None = None, rules: RuleSet = DEFAULT_RULES) -> list[Window]:
    """Contact windows for a pregnancy/child, sorted by start then end date.

    - EDD only (not yet born): EDD-anchored windows only (antenatal).
    - DoB given: DoB-anchored windows; EDD-anchored ones only if an EDD is
      given too. An antenatal window ends at the DoB; after a birth before
      28 weeks (start > end) it is no longer possible and is omitted.
    Raises ValueError if neither date is given.
    """
    if edd is None and dob is None:
        raise ValueError("windows() needs an EDD, a date of birth, or both")
    result: list[Window] = []
    for rule in rules.rules:
        anchor = edd if rule.anchor == "edd" else dob
        if anchor is None:
            continue
        window = _window(rule, anchor, dob)
        if window.window_start <= window.window_end:
            result.append(window)
    return sorted(result, key=lambda w: (w.window_start, w.window_end))


def due_before(dob: date, on: date, *, rules: RuleSet = DEFAULT_RULES) -> list[Window]:
    """Mandated DoB-anchored windows that ended before ``on`` (a move-in date).

    These contacts were due while the child lived elsewhere: the receiving service
    checks they happened (the Red Book, the previous provider's record).
    """
    return [w for w in windows(dob=dob, rules=rules) if w.mandated and w.window_end < on]


def status_on(window: Window, today: date) -> Status:
    """Return "upcoming" before the window, "due" within it (inclusive), else "overdue"."""
    if today < window.window_start:
        return "upcoming"
    if today <= window.window_end:
        return "due"
    return "overdue"


def is_within_metric(window: Window, contact_date: date) -> bool:
    """True if a contact on ``contact_date`` counts for the national metric.

    Inclusive of both ``metric_start`` and ``metric_deadline`` (section 2:
    NBV within 14 days, 8 weeks = 56 days, 12 month review by 15 months).
    """
    return window.metric_start <= contact_date <= window.metric_deadline


def window_to_dict(window: Window) -> dict[str, str]:
    """JSON-ready summary: contact identifier and ISO window dates."""
    return {
        "contact": window.contact,
        "window_start": window.window_start.isoformat(),
        "window_end": window.window_end.isoformat(),
    }
