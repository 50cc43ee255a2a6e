"""One read audit event per API response that shows identifiable data (as ``families.reads`` for pages)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.responses import Status

from pimh.families import services
from pimh.families.reads import UnauditedRead
from pimh.families.scope import Scope, scope_for

CLINICAL_PERMISSION = "families.view_family"


def clinical_scope(request: HttpRequest) -> Scope:
    """The caller's Scope; 403 for a role that sees no family (analyst, administrator without a team role)."""
    if not request.user.has_perm(CLINICAL_PERMISSION):
        raise HttpError(403, "Your role does not give access to families' records")
    return scope_for(request)


def _record_first(request: HttpRequest, scope: Scope) -> None:
    first = scope.opened[0]
    services.open_record(
        by=request.user,  # type: ignore[arg-type]
        record=first.record,
        family_id=first.family_id,
        break_glass=first.break_glass,
    )


def audited(view: Callable[..., Any]) -> Callable[..., Any]:
    """Record one ``read`` event naming the first record fetched through the Scope.

    A 201 (created) is like a page's redirect after a save: the service's create event is the record.
    Field errors of a write shown back are a read, as a form shown again with errors is.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        scope = scope_for(request)
        try:
            result = view(request, *args, **kwargs)
        except ValidationError:
            if scope.opened:
                _record_first(request, scope)
            raise
        status = result.status_code if isinstance(result, Status) else 200
        if status != 201:
            if not scope.opened:
                raise UnauditedRead(f"{view.__module__}.{view.__name__} answered without reading through the Scope")
            _record_first(request, scope)
        return result

    wrapped.audits_reads = True  # type: ignore[attr-defined]
    return wrapped
