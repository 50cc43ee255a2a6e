"""Aggregate pages for analysts and commissioners: never an identifiable record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pimh.analytics.overview import children_by_team_and_level


@login_required
@permission_required("core.view_aggregates", raise_exception=True)
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "analytics/overview.jinja", {"table": children_by_team_and_level()})
