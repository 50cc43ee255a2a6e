"""Plausible input ranges, defined once: dates per field, free-text lengths, the break-glass reason.

Pure (no Django). Services check these and raise field errors; forms take the text
lengths as ``max_length``; the CLI checks its dates here too. A date range is relative
to today: ``years_back`` whole years before it, ``days_ahead`` days after it. The
table in docs/input-limits.md lists every value (a test keeps the two in step).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` years earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def spoken(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class DateBound:
    """The plausible range of one kind of date."""

    what: str
    years_back: int
    days_ahead: int

    def earliest(self, today: dt.date) -> dt.date:
        return years_before(today, self.years_back)

    def latest(self, today: dt.date) -> dt.date:
        return today + dt.timedelta(days=self.days_ahead)

    def problem(self, value: dt.date, *, today: dt.date) -> str | None:
        """A message for a date outside the range, or None when it is plausible."""
        what = self.what[:1].upper() + self.what[1:]
        if value < self.earliest(today):
            return f"{what} must be on or after {spoken(self.earliest(today))}"
        if value > self.latest(today):
            if self.days_ahead == 0:
                return f"{what} must be today or in the past"
            return f"{what} must be on or before {spoken(self.latest(today))}"
        return None


DATE_OF_BIRTH = DateBound("date of birth", years_back=120, days_ahead=0)
CHILD_DATE_OF_BIRTH = DateBound("a child's date of birth", years_back=19, days_ahead=0)
CONTACT_DATE = DateBound("date of the contact", years_back=6, days_ahead=0)
SERVICE_LEVEL_FROM = DateBound("date the service level changed", years_back=6, days_ahead=0)
PREGNANCY_LOSS = DateBound("date of the loss", years_back=1, days_ahead=0)
BOOKING_DATE = DateBound("date of the booking", years_back=0, days_ahead=366)
FIRST_APPOINTMENT = DateBound("date of the first appointment", years_back=1, days_ahead=366)
INVOLVEMENT_START = DateBound("start of the involvement", years_back=6, days_ahead=90)
SUPERVISION_DATE = DateBound("date of the supervision session", years_back=5, days_ahead=0)
TRAINING_COMPLETED = DateBound("date the training was completed", years_back=40, days_ahead=0)
SCHEDULE_DATE = DateBound("date", years_back=100, days_ahead=731)  # pimh schedule --dob/--edd

DATE_BOUNDS = {
    name: value for name, value in dict(globals()).items() if isinstance(value, DateBound) and name.isupper()
}

# Free text: the most characters each kind of text may hold (forms, models and services).
NOTES_MAX = 5000  # contact notes, relationship observation notes
REASON_MAX = 1000  # reason for overriding a suggestion, action taken on an urgent flag
REFERRAL_DETAILS_MAX = 2000  # the details of a referral
MESSAGE_MAX = 4000  # a message or consultation note on a family's record
BREAK_GLASS_REASON_MAX = 500
BREAK_GLASS_REASON_MIN_LETTERS = 10  # letters or digits; spaces and punctuation do not count

TEXT_LIMITS = {
    "NOTES_MAX": NOTES_MAX,
    "REASON_MAX": REASON_MAX,
    "REFERRAL_DETAILS_MAX": REFERRAL_DETAILS_MAX,
    "MESSAGE_MAX": MESSAGE_MAX,
    "BREAK_GLASS_REASON_MAX": BREAK_GLASS_REASON_MAX,
    "BREAK_GLASS_REASON_MIN_LETTERS": BREAK_GLASS_REASON_MIN_LETTERS,
}


def text_problem(value: str, *, limit: int, what: str) -> str | None:
    if len(value) > limit:
        return f"{what[:1].upper() + what[1:]} must be {limit:,} characters or fewer (it has {len(value):,})"
    return None


def letters_and_digits(value: str) -> int:
    return sum(1 for character in value if character.isalnum())
