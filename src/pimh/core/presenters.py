"""Small display helpers shared by every template."""

from __future__ import annotations

import base64
from datetime import date
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from pimh.core import ages
from pimh.core.models import CLINICAL_ROLES, Role


def age_text(dob: date | None, on: date | None = None) -> str:
    """An infant's age as a health visitor says it (see ``pimh.core.ages``)."""
    return ages.age_text(dob, on or timezone.localdate())


def nhs_number_text(value: str | None) -> str:
    if not value:
        return "Not recorded"
    return f"{value[:3]} {value[3:6]} {value[6:]}"


# (label, URL name, roles). An item whose URL does not exist (yet) is left out.
NAVIGATION: list[tuple[str, str, frozenset[str]]] = [
    ("My work", "worklist", CLINICAL_ROLES),
    ("My caseload", "caseload", CLINICAL_ROLES),
    ("My diary", "diary", frozenset({Role.HEALTH_VISITOR, Role.SPECIALIST_HV})),
    ("Specialist caseload", "specialist-caseload", frozenset({Role.SPECIALIST_HV})),
    ("Referrals for me", "specialist-queue", frozenset({Role.SPECIALIST_HV})),
    ("Team", "team-overview", frozenset({Role.TEAM_LEAD})),
    ("Urgent flags", "team-urgent-flags", frozenset({Role.TEAM_LEAD})),
    ("Referrals", "referrals-team", frozenset({Role.TEAM_LEAD})),
    ("Register a family", "family-register", CLINICAL_ROLES),
    ("Break-glass log", "break-glass-log", frozenset({Role.TEAM_LEAD})),
    ("Service overview", "overview", frozenset({Role.ANALYST})),
    ("Indicators", "indicators", frozenset({Role.ANALYST, Role.TEAM_LEAD})),
    ("Workforce", "workforce-commissioner", frozenset({Role.ANALYST})),
    ("Teams and users", "admin:index", frozenset({Role.ADMINISTRATOR})),
]


def navigation(request: HttpRequest) -> list[dict[str, object]]:
    """Header navigation for the user's role."""
    user = request.user
    if not user.is_authenticated:
        return []
    role = getattr(user, "role", None)
    items = []
    for text, name, roles in NAVIGATION:
        if role not in roles:
            continue
        try:
            href = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"text": text, "href": href, "current": request.path == href})
    return items


def qr_svg_data_uri(text: str) -> str:
    """A QR code as an inline SVG image (allowed by the CSP's img-src data:)."""
    buffer = BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
