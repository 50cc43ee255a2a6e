"""The service directory is kept by administrators. No identifiable record is registered here."""

from __future__ import annotations

from django.contrib import admin

from pimh.core.admin import AuditedAdmin
from pimh.referrals.models import Service


@admin.register(Service)
class ServiceAdmin(AuditedAdmin):
    list_display = ("name", "kind", "sees", "infant_min_months", "infant_max_months", "active")
    list_filter = ("kind", "sees", "active")
    search_fields = ("name",)
