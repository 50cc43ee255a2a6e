"""Create forms are submitted once: a double click or a resubmitted page makes one record.

``@submit_once`` on a view that creates records: a GET gives the request a fresh
one-time token, which the template renders with ``{{ submit_token_input() }}`` in
the form. On POST the view runs inside one transaction; when it succeeds (it
redirects) the token is stored with the address it redirected to, in that same
transaction. A second POST with the same token, sequential or at the same moment,
creates nothing: it is redirected to the first result with a message. A POST with
no token (an old page, a script) is handled as before, unprotected.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseRedirectBase
from django.utils.html import format_html
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from pimh.core import services

TOKEN_FIELD = "submit_token"  # noqa: S105 (a form field name, not a secret)
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")
ALREADY_SAVED = "This was already saved: you submitted the form more than once, so here is the first result."

View = Callable[..., HttpResponse]


class _Repeated(Exception):
    """The token was used by another submit of the same form while this one ran."""


def _earlier(request: HttpRequest, result_url: str) -> HttpResponse:
    for _ in messages.get_messages(request):  # drop what the undone attempt queued
        pass
    messages.info(request, ALREADY_SAVED)
    return HttpResponseRedirect(result_url)


def submit_once(view: View) -> View:
    """Make a create view idempotent per rendered form (see the module docstring)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = request.POST.get(TOKEN_FIELD, "") if request.method == "POST" else ""
        if not TOKEN_SHAPE.fullmatch(token):
            request.submit_token = secrets.token_urlsafe(24)  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)
        request.submit_token = token  # type: ignore[attr-defined]
        earlier = services.form_result(by=request.user, token=token)  # type: ignore[arg-type]
        if earlier is not None:
            return _earlier(request, earlier)
        try:
            with transaction.atomic():
                response = view(request, *args, **kwargs)
                if isinstance(response, HttpResponseRedirectBase):
                    try:
                        services.use_form_token(by=request.user, token=token, result_url=response.url)  # type: ignore[arg-type]
                    except IntegrityError:
                        raise _Repeated from None  # undo this submit's records too
        except _Repeated:
            earlier = services.form_result(by=request.user, token=token)  # type: ignore[arg-type]
            return _earlier(request, earlier or "/")
        return response

    wrapped.submits_once = True  # type: ignore[attr-defined]
    return wrapped


@pass_context
def submit_token_input(context: Context) -> Markup:
    """The hidden token field for a ``@submit_once`` view's form (nothing for other views)."""
    token = getattr(context.get("request"), "submit_token", "")
    if not token:
        return Markup("")
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, token)
