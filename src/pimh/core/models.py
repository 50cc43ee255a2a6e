"""Organisations, teams, users with roles, audit events and break-glass access."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from pimh.core import bounds
from pimh.core.immutable import AppendOnlyModel, append_only_trigger


def text_limit(field: str, limit: int, name: str) -> models.CheckConstraint:
    """The database refuses text longer than ``limit`` (a TextField's ``max_length`` alone is not enforced)."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


class Role(models.TextChoices):
    HEALTH_VISITOR = "hv", "Health visitor"
    SPECIALIST_HV = "sphv", "Specialist health visitor in PIMH"
    TEAM_LEAD = "lead", "Team lead"
    ANALYST = "analyst", "Analyst or commissioner"
    ADMINISTRATOR = "admin", "Administrator"


CLINICAL_ROLES = frozenset({Role.HEALTH_VISITOR, Role.SPECIALIST_HV, Role.TEAM_LEAD})


class Organisation(models.Model):
    """A provider of health visiting: an NHS trust or a local authority service."""

    append_only = False

    name = models.CharField(max_length=200)
    ods_code = models.CharField("ODS code", max_length=10, unique=True)

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    append_only = False

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    local_authority_code = models.CharField(max_length=9, help_text="ONS code, for example E06000001")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_team_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. Each has exactly one role (see ADR 0003)."""

    append_only = False

    role = models.CharField(max_length=10, choices=Role.choices, default=Role.HEALTH_VISITOR)
    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    professional_registration = models.CharField(max_length=20, blank=True, help_text="NMC PIN")
    wte = models.DecimalField(
        "whole-time equivalent",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
        help_text="Contracted hours as a share of full time (37.5 hours a week = 1.00); used for weighted caseloads",
    )

    class Meta(AbstractUser.Meta):
        constraints = [models.CheckConstraint(condition=models.Q(wte__gt=0, wte__lte=1), name="user_wte_0_to_1")]

    def has_perm(self, perm: str, obj: object = None) -> bool:
        """Permissions defined by role (core/rules.py) are decided by the role alone.

        A superuser passes Django's model permissions (the admin site) but not a
        role rule: administrators administer, clinicians see records.
        """
        import rules

        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    @property
    def is_clinical(self) -> bool:
        return self.role in CLINICAL_ROLES

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class AuditAction(models.TextChoices):
    READ = "read", "Read"
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    DELETE = "delete", "Delete"
    BREAK_GLASS = "break_glass", "Break-glass access"
    LOGIN = "login", "Log in"
    LOGIN_FAILED = "login_failed", "Failed log-in"
    LOGOUT = "logout", "Log out"
    EXPORT = "export", "Export"


class AuditEvent(AppendOnlyModel):
    """Who did what to which record, when and why. Append-only.

    ``detail`` holds field names and codes only, never patient data.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=40, blank=True)
    family_id = models.BigIntegerField(null=True, db_index=True)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta(AppendOnlyModel.Meta):
        triggers = [append_only_trigger()]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"


class BreakGlassAccess(AppendOnlyModel):
    """Time-limited access to a family outside the user's teams, with a reason."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="break_glass")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="break_glass")
    reason = models.TextField(max_length=bounds.BREAK_GLASS_REASON_MAX)
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta(AppendOnlyModel.Meta):
        triggers = [append_only_trigger()]
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "expires_at"])]
        constraints = [text_limit("reason", bounds.BREAK_GLASS_REASON_MAX, "break_glass_reason_max_length")]

    def __str__(self) -> str:
        return f"Break-glass access {self.pk}"

    @property
    def active(self) -> bool:
        return self.expires_at > timezone.now()


class FormSubmission(models.Model):
    """A create form's one-time token, used in the same transaction as the create (see core/once.py).

    A second submit of the same form finds the token and is shown the first result.
    """

    append_only = False

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=300)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Form submission {self.pk}"


class SecondFactorEnrolment(models.Model):
    """A single-use, expiring link with which an administrator enrols an authenticator app.

    Made by another administrator (admin site) or an operator (``pimh second-factor-link``),
    never by whoever signs in first. Only a digest of the link's token is stored.
    """

    append_only = False

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="second_factor_enrolments")
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Second-factor enrolment {self.pk}"

    @property
    def usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


# ---- personal API tokens (docs/api.md) -------------------------------------------------------------

MAX_TOKEN_DAYS = 365
DEFAULT_TOKEN_DAYS = 90


class ApiToken(models.Model):
    append_only = False  # revoked and last-used are updated; the audit trail keeps the history

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=60, help_text="What the token is for, e.g. the script that uses it")
    prefix = models.CharField(max_length=12, help_text="The first characters of the token, to recognise it")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token (the token is not kept)")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
