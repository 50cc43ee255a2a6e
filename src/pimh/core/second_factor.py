"""Which second-factor step, if any, a signed-in user still has to pass."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from pimh.core.models import Role, User


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def needs_second_factor(user: User) -> str | None:
    """The URL name of the step to show, or None when the user may carry on."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return "otp-verify"
    if user.role == Role.ADMINISTRATOR:
        return "otp-enrolment-needed"
    return None
