"""ASQ-3 scores and infant feeding status recorded at reviews (pure: no Django).

The one place for these rules (data-standards.md section 3, CYP610 and CYP612):

- **ASQ-3** (Ages and Stages Questionnaire, third edition) at the 2-2½ year review, optionally at the
  12-month review: the questionnaire interval used and the score of each of the five domains. A
  domain score is the sum of six items scored 0, 5 or 10, so it is a multiple of 5 from 0 to 60;
  anything else is invalid. A score **below** the cut-off for the interval and domain is "below the
  expected level"; a score at or above it is "at or above". The cut-offs and SNOMED CT codes are the
  published table, held here as configuration data (``CUTOFFS``, ``SNOMED``): the analytics engine
  reads the same table. Scores only: the questionnaire's text is copyright and never recorded.
- **Infant feeding** at the new birth visit and the 6-8 week review: totally, partially or not
  breastfed, as the CSDS codes 01, 02, 03 (CYP610 BreastFeedingStatus).
"""

from __future__ import annotations

DOMAINS: tuple[str, ...] = ("communication", "gross_motor", "fine_motor", "problem_solving", "personal_social")
DOMAIN_LABELS = {
    "communication": "Communication",
    "gross_motor": "Gross motor",
    "fine_motor": "Fine motor",
    "problem_solving": "Problem solving",
    "personal_social": "Personal-social",
}

SCORE_MIN = 0
SCORE_MAX = 60
SCORE_STEP = 5  # six items scored 0, 5 or 10

# Contact types where each is recorded (the values of contacts.models.ContactType).
ASQ3_CONTACT_TYPES = frozenset({"two_to_two_and_half_year", "twelve_month"})
FEEDING_CONTACT_TYPES = frozenset({"new_birth_visit", "six_to_eight_week"})

#: The questionnaire intervals (months) a practitioner may record at each contact type.
INTERVALS: dict[str, tuple[int, ...]] = {
    "two_to_two_and_half_year": (24, 27, 30),
    "twelve_month": (12,),
}

#: data-standards.md section 3: (interval, domain) -> (SNOMED CT code, cut-off). Below the cut-off is
#: below the expected level. No cut-off is configured for the 12-month questionnaire: its band is not given.
PUBLISHED: dict[tuple[int, str], tuple[str, float]] = {
    (24, "communication"): ("953211000000100", 25.17),
    (24, "gross_motor"): ("953231000000108", 38.07),
    (24, "fine_motor"): ("953221000000106", 35.16),
    (24, "problem_solving"): ("953241000000104", 29.78),
    (24, "personal_social"): ("953251000000101", 31.54),
    (27, "communication"): ("953261000000103", 24.02),
    (27, "gross_motor"): ("953281000000107", 28.01),
    (27, "fine_motor"): ("953271000000105", 18.42),
    (27, "problem_solving"): ("953291000000109", 27.62),
    (27, "personal_social"): ("953301000000108", 25.31),
    (30, "communication"): ("953311000000105", 33.30),
    (30, "gross_motor"): ("953331000000102", 36.14),
    (30, "fine_motor"): ("953321000000104", 19.25),
    (30, "problem_solving"): ("953341000000106", 27.08),
    (30, "personal_social"): ("953351000000109", 32.01),
}
CUTOFFS: dict[tuple[int, str], float] = {key: cutoff for key, (_code, cutoff) in PUBLISHED.items()}
SNOMED: dict[tuple[int, str], str] = {key: code for key, (code, _cutoff) in PUBLISHED.items()}

BELOW = "below"
AT_OR_ABOVE = "at_or_above"
BAND_LABELS = {BELOW: "Below the cut-off", AT_OR_ABOVE: "At or above the cut-off"}

# CSDS CYP610 BreastFeedingStatus.
TOTALLY = "01"
PARTIALLY = "02"
NOT_AT_ALL = "03"
FEEDING_LABELS = {TOTALLY: "Totally breastfed", PARTIALLY: "Partially breastfed", NOT_AT_ALL: "Not breastfed"}


def score_problem(score: int) -> str | None:
    """Why ``score`` cannot be an ASQ-3 domain score, or None if it can."""
    if score < SCORE_MIN or score > SCORE_MAX:
        return f"An ASQ-3 domain score is from {SCORE_MIN} to {SCORE_MAX}"
    if score % SCORE_STEP:
        return f"An ASQ-3 domain score is a multiple of {SCORE_STEP} (six items scored 0, 5 or 10)"
    return None


def band(interval_months: int, domain: str, score: int) -> str | None:
    """``below`` or ``at_or_above`` the cut-off; None where no cut-off is configured for the interval."""
    cutoff = CUTOFFS.get((interval_months, domain))
    if cutoff is None:
        return None
    return AT_OR_ABOVE if score >= cutoff else BELOW


def interval_problem(contact_type: str, interval_months: int | None) -> str | None:
    """Why this questionnaire interval cannot be recorded at this contact type, or None."""
    allowed = INTERVALS.get(contact_type, ())
    if not allowed:
        return "ASQ-3 is recorded only at the 12-month and 2 to 2½ year reviews"
    if interval_months not in allowed:
        months = ", ".join(str(m) for m in allowed)
        return f"Choose the questionnaire interval used ({months} months)"
    return None
