"""The indicator catalogue, as data: national health visiting metrics and PIMH quality standards.

Definitions follow data-standards.md section 1 (OHID interim collection 2024/25) and the pathway rules
of pimh-domain.md section 4. Every threshold an analyst may need to change is a field of
:class:`Settings`; the queries in ``engine.py`` read them from there and nowhere else. Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from pimh.contacts import asq3

DIMENSIONS = (
    "local_authority", "team", "imd_quintile", "ethnic_group", "infant_age_band", "parent_role", "service_level",
    "service_kind",
)  # fmt: skip

#: C2/C3 cohort windows: quarter number -> (first, last) birth date as (month, day, years before the
#: quarter's calendar year). Published as a table (it handles 29 February), so kept as a table.
NBV_BIRTH_WINDOWS: dict[int, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    1: ((3, 2, 0), (6, 1, 0)),
    2: ((6, 2, 0), (9, 1, 0)),
    3: ((9, 2, 0), (12, 2, 0)),
    4: ((12, 3, 1), (3, 1, 0)),
}

#: ASQ-3 cut-offs (data-standards.md section 3), held once in pimh.contacts.asq3: below the cut-off is
#: below the expected level.
ASQ3_CUTOFFS: dict[tuple[int, str], float] = asq3.CUTOFFS
ASQ3_DOMAIN_CODES = {
    "communication": "C6iii", "gross_motor": "C6iv", "fine_motor": "C6v", "problem_solving": "C6vi",
    "personal_social": "C6vii",
}  # fmt: skip


@dataclass(frozen=True)
class Settings:
    """Choices an analyst can change; every report names them."""

    nbv_within_days: int = 14  # C2 "within 14 days": the NBV is on or before DoB + this [unverified: 13 or 14]
    nbv_windows: dict[int, tuple[tuple[int, int, int], tuple[int, int, int]]] = field(
        default_factory=lambda: dict(NBV_BIRTH_WINDOWS)
    )
    eight_week_age_days: int = 56  # C8i/C8ii cohort: turned this many days in the quarter (CSDS)
    breastfeeding_min_coverage: float = 0.95  # C8ii published only where status is recorded this often
    twelve_month_review_from_months: int = 9  # OHID 2024/25: the 12-month review is at 9 to 15 months
    antenatal_from_weeks: int = 28  # C1
    assessment_within_days: int = 14  # PIMH2: full assessment after a positive screen
    acknowledge_within_days: int = 14  # PIMH5a: 2-week acknowledgement standard
    first_appointment_within_days: int = 42  # PIMH5b: 6-week first appointment standard
    specialist_kinds: tuple[str, ...] = ("perinatal_mh_team", "mother_baby_unit", "parent_infant_team", "specialist_hv")
    screening_instruments: tuple[str, ...] = ("whooley", "gad2")
    assessment_instruments: tuple[str, ...] = ("epds", "phq9", "gad7")

    def describe(self) -> dict[str, object]:
        return {
            "nbv_within_days": self.nbv_within_days,
            "nbv_within": f"NBV on or before date of birth + {self.nbv_within_days} days",
            "eight_week_age_days": self.eight_week_age_days,
            "twelve_month_review_from_months": self.twelve_month_review_from_months,
            "breastfeeding_min_coverage": self.breastfeeding_min_coverage,
        }


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    kind: str  # count | proportion | rate_per_1000
    numerator: str
    denominator: str
    dimensions: tuple[str, ...]
    family: str = "national"  # national | pimh


_CHILD = ("local_authority", "team", "imd_quintile", "ethnic_group", "infant_age_band", "service_level")
_PARENT = (*_CHILD, "parent_role")
_REFERRAL = (*_PARENT, "service_kind")

CATALOGUE: tuple[Indicator, ...] = (
    Indicator("C1", "Mothers with a first face-to-face antenatal contact at 28 weeks or more", "count",
              "pregnancies whose first attended face-to-face antenatal contact at >= 28 weeks falls in the quarter",
              "none", ("local_authority", "team", "ethnic_group", "parent_role")),
    Indicator("C2", "New birth visit within 14 days", "proportion",
              "cohort children with an attended face-to-face NBV on or before DoB + nbv_within_days",
              "children who turned 30 days in the quarter (birth-date window table), the provider's responsibility "
              "that day", _CHILD),
    Indicator("C3", "New birth visit after 14 days", "proportion",
              "cohort children whose first attended face-to-face NBV was later, by the end of the quarter", "as C2",
              _CHILD),
    Indicator("C8i", "6-8 week review by 8 weeks", "proportion",
              "cohort infants with an attended face-to-face 6-8 week review by DoB + 56 days",
              "infants who turned 56 days in the quarter, the provider's responsibility that day", _CHILD),
    Indicator("C8ii", "Totally or partially breastfed at 6-8 weeks", "proportion",
              "cohort infants recorded at an attended 6-8 week review (any mechanism, by the quarter's end) as totally "
              "or partially breastfed",
              "as C8i; withheld where status is recorded for under 95% of the denominator", _CHILD),
    Indicator("C4", "12-month review by 12 months", "proportion",
              "cohort children with an attended face-to-face 12-month review from 9 months to the day they turn 12 "
              "months", "children who turned 12 months in the quarter, the provider's responsibility on its last day",
              _CHILD),
    Indicator("C5", "12-month review by 15 months", "proportion",
              "cohort children with an attended face-to-face 12-month review from 9 months to the day they turn 15 "
              "months, in any quarter", "children who turned 15 months in the quarter, responsibility on its last day",
              _CHILD),
    Indicator("C6i", "2-2½ year review by 2½ years", "proportion",
              "cohort children with an attended face-to-face 2-2½ year review by the day they turn 30 months",
              "children who turned 2½ in the quarter, responsibility on its last day, excluding children who died "
              "before the review", _CHILD),
    Indicator("C6ii", "2-2½ year reviews using ASQ-3", "proportion", "reviews recorded as using ASQ-3",
              "children with an attended face-to-face 2-2½ year review in the quarter (their first)", _CHILD),
    *(
        Indicator(code, f"At or above the expected level in ASQ-3 {domain.replace('_', ' ')}", "proportion",
                  "children scoring at or above the ASQ-3 cut-off for their interval",
                  "children reviewed with ASQ-3 in the quarter with a score in this domain", _CHILD)
        for domain, code in ASQ3_DOMAIN_CODES.items()
    ),
    Indicator("PIMH1M", "Mothers asked about emotional wellbeing", "proportion",
              "contacts where the mother completed a Whooley or GAD-2 that day",
              "attended antenatal, new birth, 6-8 week and 12-month contacts in the quarter", _PARENT, "pimh"),
    Indicator("PIMH1P", "Fathers and partners asked about emotional wellbeing", "proportion",
              "contact-parent pairs where the father or partner completed a Whooley or GAD-2 that day",
              "attended new birth, 6-8 week and 12-month contacts in the quarter, once per father or partner "
              "(antenatal contacts cannot be linked to partners in pimh-snapshot/1)", _PARENT, "pimh"),
    Indicator("PIMH2", "Positive screens followed by a full assessment within 14 days", "proportion",
              "parent-days with a complete EPDS, PHQ-9 or GAD-7 within 14 days",
              "parent-days in the quarter with a positive Whooley or GAD-2", _PARENT, "pimh"),
    Indicator("PIMH3", "Risk items with same-day action", "proportion",
              "risk items followed by an emergency or urgent referral for the parent sent the same day",
              "screens in the quarter with the risk item answered positively", _PARENT, "pimh"),
    Indicator("PIMH5a", "Referrals acknowledged within 2 weeks", "proportion",
              "referrals acknowledged within 14 days of sending", "referrals sent in the quarter", _REFERRAL, "pimh"),
    Indicator("PIMH5b", "Accepted referrals with a first appointment within 6 weeks", "proportion",
              "referrals with a first appointment within 42 days of sending",
              "referrals sent in the quarter and accepted", _REFERRAL, "pimh"),
    Indicator("PIMH6", "Referrals declined for age criteria", "proportion",
              "referrals declined as outside age criteria", "referrals about an infant decided in the quarter",
              _REFERRAL, "pimh"),
    Indicator("PIMH7", "Specialist PIMH involvement per 1,000 births", "rate_per_1000",
              "referrals to a specialist perinatal or infant mental health service first attended in the quarter",
              "children born in the quarter", _CHILD, "pimh"),
)  # fmt: skip

BY_CODE = {indicator.code: indicator for indicator in CATALOGUE}

#: Quality standards the snapshot cannot measure yet, with the reason (stated in every report).
NOT_AVAILABLE = {
    "PIMH4": "parent-infant relationship recorded at postnatal contacts: pimh-snapshot/1 has no "
    "relationship observations table",
}


@dataclass(frozen=True)
class Quarter:
    """A quarter of a financial year: FY2026Q1 is April to June 2026 (the year the financial year starts)."""

    label: str
    fiscal_year: int
    number: int
    start: dt.date
    end: dt.date


def parse_quarter(text: str) -> Quarter:
    match = re.fullmatch(r"FY(\d{4})Q([1-4])", text.strip().upper())
    if not match:
        raise ValueError(f"expected a quarter like FY2026Q1 (April-June 2026), not {text!r}")
    year, number = int(match.group(1)), int(match.group(2))
    first_month = (3 * number + 1) if number < 4 else 1
    calendar_year = year if number < 4 else year + 1
    start = dt.date(calendar_year, first_month, 1)
    end = add_months(start, 3) - dt.timedelta(days=1)
    return Quarter(f"FY{year}Q{number}", year, number, start, end)


def add_months(date: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clipped to the end of a shorter month."""
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    for day in (date.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def nbv_birth_window(quarter: Quarter, settings: Settings) -> tuple[dt.date, dt.date]:
    """C2/C3 cohort: first and last date of birth, from the configurable window table."""
    (m1, d1, back1), (m2, d2, back2) = settings.nbv_windows[quarter.number]
    year = quarter.start.year
    return dt.date(year - back1, m1, d1), dt.date(year - back2, m2, d2)


def birth_window_turning(quarter: Quarter, months: int) -> tuple[dt.date, dt.date]:
    """Children who turn ``months`` months old in the quarter were born in this window."""
    return add_months(quarter.start, -months), add_months(quarter.end + dt.timedelta(days=1), -months) - dt.timedelta(
        days=1
    )
