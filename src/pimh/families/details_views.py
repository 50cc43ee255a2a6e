"""Editing a family's contact details and alerts. Thin: Scope reads, service writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from pimh.families import contact_forms, contact_services, postcode_lookup
from pimh.families.forms import apply_service_errors
from pimh.families.reads import audited_read
from pimh.families.scope import scope_for

clinical = permission_required("families.view_family", raise_exception=True)


@login_required
@clinical
@audited_read
@require_http_methods(["GET", "POST"])
def edit_contact_details(request: HttpRequest, pk: int) -> HttpResponse:
    family = scope_for(request).family(pk)
    initial = contact_forms.initial_for(contact_services.current(family), family.version)
    form = contact_forms.ContactDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact_services.update_contact_details(
                by=request.user,  # type: ignore[arg-type]
                family=family,
                details=form.contact_details(),
                seen_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form = contact_forms.ContactDetailsForm({**request.POST.dict(), "version": family.version}, initial=initial)
            form.is_valid()
            apply_service_errors(form, error)
        else:
            messages.success(request, "Contact details saved")
            return redirect("family-detail", pk=family.pk)
    return render(
        request,
        "families/contact_details.jinja",
        {"family": family, "form": form, "lookup": postcode_lookup.configured()},
    )
