"""The API tokens page: a user makes and revokes their own personal tokens (the new one is shown once)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from pimh.api import forms
from pimh.core import tokens as services
from pimh.core.models import ApiToken
from pimh.core.once import submit_once
from pimh.families.forms import apply_service_errors

NEW_TOKEN_KEY = "pimh_new_api_token"  # noqa: S105 (a session key name)


@login_required
@submit_once
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _, plain = services.create_token(
                by=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            request.session[NEW_TOKEN_KEY] = plain
            return redirect("api-tokens")
    return render(
        request,
        "api/tokens.jinja",
        {
            "form": form,
            "new_token": request.session.pop(NEW_TOKEN_KEY, None) if request.method == "GET" else None,
            "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at")[:100],
        },
    )


@login_required
@require_http_methods(["POST"])
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404("No token found")
    services.revoke_token(by=request.user, token=token)  # type: ignore[arg-type]
    return redirect("api-tokens")
