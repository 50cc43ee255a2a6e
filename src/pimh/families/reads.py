"""Every page that shows identifiable data records exactly one ``read`` audit event.

Use ``@audited_read`` on every view that shows a family's data, and fetch the record
through the request's Scope (``scope_for(request)``: ``.family(pk)``, ``.person(pk)``
or ``.record(queryset, pk)``). After the view returns a page (not a redirect, 403,
404 or 405), the decorator records one ``read`` event naming the first record
fetched, marked ``break_glass`` when that family is outside the user's teams.

A decorated view that shows a page without having fetched a record through the
Scope fails the request (``UnauditedRead``) instead of showing unaudited data.
The URL walk in ``tests/test_scoping.py`` checks that every identifiable URL's
view is decorated and writes exactly one event, and none when refused.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from pimh.families import services
from pimh.families.scope import scope_for

View = Callable[..., HttpResponse]
NO_DATA_STATUSES = frozenset({403, 404, 405})


class UnauditedRead(RuntimeError):
    """A view marked identifiable showed a page without reading a record through the Scope."""


def shows_data(response: HttpResponse) -> bool:
    """A page was rendered: not a redirect, a refusal or a server error."""
    code = response.status_code
    return code < 300 or (400 <= code < 500 and code not in NO_DATA_STATUSES)


def audited_read(view: View) -> View:
    """Record one read audit event for each page this view shows (see the module docstring)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = scope_for(request)
        response = view(request, *args, **kwargs)
        if shows_data(response):
            if not scope.opened:
                raise UnauditedRead(
                    f"{view.__module__}.{view.__name__} showed a page without reading through the Scope"
                )
            first = scope.opened[0]
            services.open_record(
                by=request.user,  # type: ignore[arg-type]
                record=first.record,
                family_id=first.family_id,
                break_glass=first.break_glass,
            )
        return response

    wrapped.audits_reads = True  # type: ignore[attr-defined]
    return wrapped
