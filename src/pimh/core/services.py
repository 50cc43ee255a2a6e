"""State changes of the core app: second-factor devices and audited sign-in events."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from pimh.core import audit
from pimh.core.models import AuditAction, FormSubmission, User


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
