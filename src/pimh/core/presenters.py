"""Small display helpers shared by every template."""

from __future__ import annotations

import base64
from datetime import date
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from pimh.core.models import CLINICAL_ROLES, Role


def age_text(dob: date | None, on: date | None = None) -> str:
    """An infant's age as a health visitor says it: days, weeks, months, then years."""
    if dob is None:
        return "Not born yet"
    today = on or timezone.localdate()
    days = (today - dob).days
    if days < 0:
        return "Not born yet"
    if days < 28:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 91:
        return f"{days // 7} weeks"
    months = (today.year - dob.year) * 12 + today.month - dob.month - (today.day < dob.day)
    if months < 24:
        return f"{months} months"
    years, rest = divmod(months, 12)
    return f"{years} years" if rest == 0 else f"{years} years {rest} months"


def nhs_number_text(value: str | None) -> str:
    if not value:
        return "Not recorded"
    return f"{value[:3]} {value[3:6]} {value[6:]}"


def navigation(request: HttpRequest) -> list[dict[str, object]]:
    """Header navigation for the user's role."""
    user = request.user
    if not user.is_authenticated:
        return []
    items: list[tuple[str, str]] = []
    role = getattr(user, "role", None)
    if role in CLINICAL_ROLES:
        items += [("My caseload", "caseload"), ("Register a family", "family-register")]
    if role == Role.TEAM_LEAD:
        items.append(("Break-glass log", "break-glass-log"))
    if role == Role.ANALYST:
        items.append(("Service overview", "overview"))
    if role == Role.ADMINISTRATOR:
        items.append(("Teams and users", "admin:index"))
    current = request.path
    return [{"text": text, "href": reverse(name), "current": current == reverse(name)} for text, name in items]


def qr_svg_data_uri(text: str) -> str:
    """A QR code as an inline SVG image (allowed by the CSP's img-src data:)."""
    buffer = BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
