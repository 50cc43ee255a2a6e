"""Administration of organisations, teams and users (administrators, with a second factor).

No identifiable patient record is registered here: the admin site is for staff accounts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pimh.core import services, tokens
from pimh.core.models import ApiToken, Organisation, Team, User


class AuditedAdmin(admin.ModelAdmin):
    """Saves and deletes go through the audited core service."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        services.save_by_admin(by=request.user, obj=obj, changed=list(form.changed_data), created=not change)  # type: ignore[arg-type]

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        services.delete_by_admin(by=request.user, obj=obj)  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False  # deactivate instead: records stay attributable


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "ods_code")


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ("name", "organisation", "local_authority_code")
    list_filter = ("organisation",)


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "teams")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("Role and teams", {"fields": ("role", "teams", "professional_registration", "wte")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Role and teams", {"fields": ("first_name", "last_name", "role", "teams")}),
    )
    filter_horizontal = ("teams", "groups", "user_permissions")
    actions = ["make_enrolment_link"]

    @admin.action(description="Make a second-factor enrolment link")
    def make_enrolment_link(self, request: HttpRequest, queryset: models.QuerySet[User]) -> HttpResponse:
        """Single-use links, shown once on the page that answers (never stored in a message or a log)."""
        links, refused = [], []
        for user in queryset.order_by("username")[:20]:
            try:
                token = services.create_enrolment_link(by=request.user, user=user)  # type: ignore[arg-type]
            except services.EnrolmentError as error:
                refused.append(f"{user.username}: {error}")
                continue
            links.append((user.username, request.build_absolute_uri(services.enrolment_path(token))))
        return render(
            request,
            "core/enrolment_links.jinja",
            {"links": links, "refused": refused, "hours": settings.SECOND_FACTOR_LINK_HOURS},
        )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """Django's set-password page, with an audit event in the same transaction as the new password."""
        with transaction.atomic():
            user = self.get_object(request, unquote(id))
            before = user.password if user is not None else None
            response = super().user_change_password(request, id, form_url)
            if user is not None:
                user.refresh_from_db(fields=["password"])
                if user.password != before:
                    services.record_password_set_by_admin(by=request.user, user=user)  # type: ignore[arg-type]
            return response


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("revoked_at",)
    readonly_fields = ("user", "name", "prefix", "created_at", "expires_at", "revoked_at", "revoked_by", "last_used_at")
    exclude = ("digest",)
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a token is made by its owner, on the API tokens page

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False  # revoke instead: the audit trail keeps naming it

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            tokens.revoke_token(by=request.user, token=token)  # type: ignore[arg-type]
        messages.success(request, f"Revoked {queryset.count()} token(s)")
