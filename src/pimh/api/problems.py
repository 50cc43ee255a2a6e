"""Errors as RFC 9457 problem details (``application/problem+json``)."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse

PROBLEM_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "The request has problems",
    500: "Server error",
}


def problem(
    request: HttpRequest, status: int, detail: str = "", *, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status}
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    if errors is not None:
        body["errors"] = errors
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_TYPE)


def field_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as {field: [messages]}, the messages the forms show."""
    if hasattr(error, "error_dict"):
        return {field: [m for e in errs for m in e.messages] for field, errs in error.error_dict.items()}
    return {"__all__": list(error.messages)}


def pydantic_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Ninja's request validation errors as {field: [messages]}: the field is the last part of the location."""
    found: dict[str, list[str]] = {}
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        field = ".".join(location) or "__all__"
        found.setdefault(field, []).append(str(error.get("msg", "Invalid value")))
    return found
