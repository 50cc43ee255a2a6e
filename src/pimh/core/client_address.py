"""The client's address, for locking out repeated failed sign-ins (django-axes).

Behind ``TRUSTED_PROXY_COUNT`` trusted proxies (a TLS terminator, a load
balancer) REMOTE_ADDR is the nearest proxy's address, so every user would
share one lock. Each proxy appends the address it received the request from to
X-Forwarded-For; the entries to the left of those the trusted proxies wrote are
whatever the client sent and are ignored. With no trusted proxy the header is
never read. Django-free apart from ``from_request``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(meta: Mapping[str, Any], proxy_count: int) -> str | None:
    """The address the outermost trusted proxy saw, or REMOTE_ADDR when there is none."""
    remote = _address(str(meta.get("REMOTE_ADDR", "")))
    if proxy_count <= 0:
        return remote
    forwarded = [entry for entry in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",") if entry.strip()]
    if len(forwarded) < proxy_count:
        return remote  # the proxies are not as configured: fall back to the nearest address
    return _address(forwarded[-proxy_count]) or remote


def from_request(request: Any) -> str | None:
    """AXES_CLIENT_IP_CALLABLE."""
    from django.conf import settings  # type: ignore[import-untyped]

    return client_address(request.META, settings.TRUSTED_PROXY_COUNT)
