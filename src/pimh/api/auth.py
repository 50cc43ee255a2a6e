"""Who calls the API: a personal token (``Authorization: Bearer pimh_…``) or the browser's session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from pimh.core import tokens as services


class TokenAuth(HttpBearer):
    openapi_description = "A personal API token made on the 'API tokens' page (shown once; it expires)."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.user_for(token)
        if user is not None:
            request.user = user
        return user


class BrowserSession(APIKeyCookie):
    """The signed-in browser (with its CSRF token for writes); the second factor is enforced by middleware."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None
