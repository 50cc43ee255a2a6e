"""State changes of the core app: second-factor devices and audited sign-in events."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from pimh.core import audit
from pimh.core.models import AuditAction, FormSubmission, Role, SecondFactorEnrolment, User


@transaction.atomic
def start_totp_setup(*, by: User) -> TOTPDevice:
    """An unconfirmed TOTP device for ``by`` (reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=by, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=by, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def confirm_totp(*, by: User, device: TOTPDevice) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(by=by, action=AuditAction.UPDATE, obj=device, detail={"second_factor": "confirmed"})


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    audit.record(by=user, action=AuditAction.LOGIN, object_type="session")


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    audit.record(by=user, action=AuditAction.LOGOUT, object_type="session")


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The username is staff data, not patient data; the password is never kept.
    audit.record(
        by=None,
        action=AuditAction.LOGIN_FAILED,
        object_type="session",
        detail={"username": str(credentials.get("username", ""))[:150]},
    )


@transaction.atomic
def save_by_admin(*, by: User, obj: Any, changed: list[str], created: bool) -> None:
    """Save an organisation, team or user from the admin site, with an audit event."""
    obj.save()
    audit.record(
        by=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=obj,
        detail={"fields": [name for name in changed if name != "password"]},
    )


@transaction.atomic
def delete_by_admin(*, by: User, obj: Any) -> None:
    audit.record(by=by, action=AuditAction.DELETE, obj=obj)
    obj.delete()


def form_result(*, by: User, token: str) -> str | None:
    """Where the form submitted with ``token`` by ``by`` led, if it has been used."""
    return FormSubmission.objects.filter(token=token, user=by).values_list("result_url", flat=True).first()


def use_form_token(*, by: User, token: str, result_url: str) -> None:
    """Use a create form's token, inside the transaction of the create (IntegrityError if used already).

    Not audited: the token is not a record; the create it guards writes its own audit event.
    """
    with transaction.atomic():
        FormSubmission.objects.create(token=token, user=by, result_url=result_url[:300])


@transaction.atomic
def record_password_set_by_admin(*, by: User, user: User) -> None:
    """Audit an administrator setting (or disabling) another account's password. The password is never kept."""
    audit.record(
        by=by,
        action=AuditAction.UPDATE,
        obj=user,
        detail={"fields": ["password"], "password_usable": user.has_usable_password(), "by_administrator": True},
    )


# ---- second-factor enrolment links --------------------------------------------------


class EnrolmentError(ValueError):
    """An enrolment link cannot be made for this account."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def enrolment_path(token: str) -> str:
    return f"/account/second-factor/enrol/{token}/"


@transaction.atomic
def create_enrolment_link(*, by: User | None, user: User) -> str:
    """A new single-use enrolment token for ``user`` (returned once, stored only as a digest).

    ``by`` is the administrator who made it, or None for the ``pimh`` command. Earlier
    unused links for the same account stop working.
    """
    if not user.is_active:
        raise EnrolmentError(f"{user.username} is not an active account")
    if by is not None and by.pk == user.pk:
        raise EnrolmentError("another administrator must make your enrolment link")
    now = timezone.now()
    SecondFactorEnrolment.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    token = secrets.token_urlsafe(32)
    link = SecondFactorEnrolment.objects.create(
        user=user,
        token_digest=_digest(token),
        created_by=by,
        created_at=now,
        expires_at=now + dt.timedelta(hours=settings.SECOND_FACTOR_LINK_HOURS),
    )
    audit.record(
        by=by, action=AuditAction.CREATE, obj=link, detail={"second_factor": "enrolment_link", "user": user.pk}
    )
    return token


def usable_enrolment(*, token: str, user: User) -> SecondFactorEnrolment | None:
    """The link for ``token`` if it belongs to ``user``, is unused and has not expired."""
    link = SecondFactorEnrolment.objects.filter(token_digest=_digest(token), user=user).first()
    return link if link is not None and link.usable else None


@transaction.atomic
def enrol_with_link(*, by: User, link: SecondFactorEnrolment, device: TOTPDevice) -> None:
    """Confirm ``device`` and use up ``link``; the account's other authenticators stop working."""
    locked = SecondFactorEnrolment.objects.select_for_update().get(pk=link.pk)
    if not locked.usable or locked.user_id != by.pk or device.user_id != by.pk:
        raise EnrolmentError("This enrolment link has been used or has expired")
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    TOTPDevice.objects.filter(user=by).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(by=by, action=AuditAction.UPDATE, obj=device, detail={"second_factor": "enrolled_with_link"})


def may_enrol_self(user: User) -> bool:
    """Administrators enrol only from a link; anyone else may add an authenticator themselves."""
    return user.role != Role.ADMINISTRATOR
