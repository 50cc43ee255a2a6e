"""The printable referral letter (PDF through WeasyPrint): what a receiving service needs to read.

It carries the family, the person referred, the reason, urgency and consent, the referred person's
latest screening results (instrument, total, cut-off, outcome and the risk item's number and score:
never a question's text), and the referrer. No links or buttons are printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from pimh.referrals.models import Referral
from pimh.screening import instruments


@dataclass(frozen=True)
class ScreenLine:
    """One instrument's latest result, numbers only."""

    instrument: str
    date: str
    total: str
    cutoff: str
    outcome: str
    risk_item: str


def _total(screen: Any) -> str:
    if screen.total is not None:
        return str(screen.total)
    missing = ", ".join(str(n) for n in screen.missing_items)
    return f"at least {screen.total_at_least} (items {missing} not answered)"


def _risk_item(screen: Any, risk_item: int | None) -> str:
    if risk_item is None:
        return ""
    scores = screen.item_scores or []
    score = scores[risk_item - 1] if len(scores) >= risk_item else None
    return f"item {risk_item}: {'not answered' if score is None else score}"


def latest_screens(screens: QuerySet[Any]) -> list[ScreenLine]:
    """The most recent screen of each instrument, newest first (``screens`` already one person's)."""
    seen: set[str] = set()
    lines: list[ScreenLine] = []
    for screen in screens.order_by("-recorded_at", "-pk"):
        if screen.instrument in seen:
            continue
        seen.add(screen.instrument)
        spec = instruments.get(screen.instrument)
        lines.append(
            ScreenLine(
                instrument=spec.name,
                date=f"{timezone.localtime(screen.recorded_at):%d %b %Y}",
                total=_total(screen),
                cutoff="" if screen.cutoff is None else str(screen.cutoff),
                outcome=screen.outcome.capitalize(),
                risk_item=_risk_item(screen, spec.risk_item),
            )
        )
    return lines


def letter_html(referral: Referral, screens: list[ScreenLine]) -> str:
    return render_to_string(
        "referrals/letter_print.jinja",
        {
            "referral": referral,
            "family": referral.family,
            "person": referral.person,
            "screens": screens,
            "printed": timezone.localtime(),
        },
    )
