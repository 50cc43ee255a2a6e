"""Caseload management pages: reallocate a family (team leads) and discharge or close a family."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from pimh.core.models import Role, User
from pimh.core.once import submit_once
from pimh.core.rules import is_team_lead
from pimh.families import forms, services
from pimh.families.reads import audited_read
from pimh.families.scope import scope_for

clinical = permission_required("families.view_family", raise_exception=True)
ALLOCATABLE = (Role.HEALTH_VISITOR, Role.SPECIALIST_HV, Role.TEAM_LEAD)


@login_required
@clinical
@audited_read
@submit_once
@require_http_methods(["GET", "POST"])
def allocate(request: HttpRequest, pk: int) -> HttpResponse:
    """Who holds the family; a team lead reallocates it (its open tasks move with it)."""
    family = scope_for(request).family(pk)
    lead = is_team_lead(request.user)
    if request.method == "POST" and not lead:
        raise PermissionDenied
    people = {
        str(u.pk): u
        for u in User.objects.filter(teams=family.team_id, role__in=ALLOCATABLE, is_active=True).order_by("username")
    }
    form = forms.AllocateForm(
        request.POST or None,
        choices=[(pk_, u.display_name) for pk_, u in people.items()],
        initial={"health_visitor": str(family.allocated_hv_id or "")},
    )
    if request.method == "POST" and form.is_valid():
        chosen = people[form.cleaned_data["health_visitor"]]
        try:
            services.allocate(by=request.user, family=family, health_visitor=chosen)  # type: ignore[arg-type]
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        else:
            messages.success(request, f"Family {family.reference} allocated to {chosen.display_name}")
            return redirect("family-detail", pk=family.pk)
    return render(request, "families/allocate.jinja", {"family": family, "form": form, "lead": lead})


@login_required
@clinical
@audited_read
@submit_once
@require_http_methods(["GET", "POST"])
def close_family(request: HttpRequest, pk: int) -> HttpResponse:
    """Discharge or close a family with a reason: it leaves the caseload and its open tasks are cancelled."""
    family = scope_for(request).family(pk)
    form = forms.CloseFamilyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_family(by=request.user, family=family, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        else:
            messages.success(request, f"Family {family.reference} closed")
            return redirect("family-detail", pk=family.pk)
    return render(
        request,
        "families/simple_form.jinja",
        {
            "family": family,
            "form": form,
            "title": "Discharge or close the family",
            "hint": "The family leaves the caseload and the worklist; its open tasks are cancelled. "
            "The record stays and can still be found by searching.",
            "button": "Close the family",
        },
    )
