"""Administration of organisations, teams and users (administrators, with a second factor).

No identifiable patient record is registered here: the admin site is for staff accounts.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

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
