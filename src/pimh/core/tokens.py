"""Creating, using and revoking personal API tokens. Every change is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pimh.core import audit, bounds
from pimh.core.models import MAX_TOKEN_DAYS, ApiToken, AuditAction, User

TOKEN_START = "pimh_"  # noqa: S105 (a prefix, not a secret)


def digest(token: str) -> str:
    """Tokens are 256 random bits, so a plain SHA-256 is enough to store them (no guessing by dictionary)."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_token_request(*, name: str, days: int | None) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter what the token is for"
    elif problem := bounds.text_problem(name, limit=60, what="the name"):
        errors["name"] = problem
    if days is None or not 1 <= days <= MAX_TOKEN_DAYS:
        errors["days"] = f"Enter a number of days from 1 to {MAX_TOKEN_DAYS}"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_token(*, by: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for ``by``; the plain token is returned once and never stored."""
    check_token_request(name=name, days=days)
    plain = TOKEN_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=by,
        name=name.strip(),
        prefix=plain[:12],
        digest=digest(plain),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit.record(by=by, action=AuditAction.CREATE, obj=token, detail={"days": days})
    return token, plain


@transaction.atomic
def revoke_token(*, by: User, token: ApiToken) -> ApiToken:
    """The owner, or an administrator, revokes a token at once."""
    if token.user_id != by.pk and not by.is_superuser:
        raise PermissionDenied("Only the token's owner or an administrator can revoke it")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = by
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(by=by, action=AuditAction.UPDATE, obj=token, detail={"event": "revoke"})
    return token


def user_for(plain: str) -> User | None:
    """The active user a presented token belongs to, or None (unknown, revoked, expired, inactive user)."""
    if not plain.startswith(TOKEN_START) or len(plain) > 100:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest(plain), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
