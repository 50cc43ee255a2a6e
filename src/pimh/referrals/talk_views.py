"""The family's message thread: health visitor, specialist health visitor and team lead talk through the record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from pimh.core.models import Role
from pimh.core.once import submit_once
from pimh.families.forms import apply_service_errors
from pimh.families.reads import audited_read
from pimh.families.scope import scope_for
from pimh.referrals import forms, services

clinical = permission_required("families.view_family", raise_exception=True)


def role_label(role: str) -> str:
    return Role(role).label if role in Role.values else role


@login_required
@clinical
@audited_read
@submit_once
@require_http_methods(["GET", "POST"])
def family_messages(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread, oldest first, and a form to add to it. Showing it is one audited read."""
    scope = scope_for(request)
    family = scope.family(pk)
    form = forms.MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_message(
                by=request.user,  # type: ignore[arg-type]
                family=family,
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Added to the family's messages")
            return redirect("family-messages", pk=family.pk)
    thread = [
        (m, role_label(m.author_role), timezone.localtime(m.at))
        for m in scope.messages.filter(family=family).select_related("author").order_by("at", "pk")
    ]
    return render(
        request,
        "referrals/messages.jinja",
        {"family": family, "thread": thread, "form": form, "page_has_errors": bool(form.errors)},
    )
