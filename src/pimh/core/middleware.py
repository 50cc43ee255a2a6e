"""Security middleware: CSP with a nonce, NHS.UK assets, idle timeout, second factor, no-store."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from whitenoise.middleware import WhiteNoiseMiddleware

Handler = Callable[[HttpRequest], HttpResponse]


class ContentSecurityPolicyMiddleware:
    """Allow only this service (and the NHS font host for fonts)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        fonts = " ".join(["'self'", *settings.CSP_FONT_HOSTS])
        response.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; "
            f"font-src {fonts}; connect-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        return response


class AssetsMiddleware(WhiteNoiseMiddleware):
    """Serve static files, and NHS.UK frontend images at /assets/ where its CSS expects them."""

    def __init__(self, get_response: Handler | None = None, settings: object = settings) -> None:
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # type: ignore[attr-defined]
        super().__init__(get_response, settings)
        self.add_files(str(settings.NHSUK_DIST / "assets"), prefix="assets/")  # type: ignore[attr-defined]


_OPEN_PATHS = ("/static/", "/assets/", "/login/", "/logout/", "/account/second-factor/")


class InactivityTimeoutMiddleware:
    """End a session after SESSION_IDLE_MINUTES without a request."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_seen", now)
            if now - last > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request, f"You were signed out after {settings.SESSION_IDLE_MINUTES} minutes without activity."
                )
                return redirect(f"{reverse('login')}?next={request.path}")
            if now - last >= 60 or "last_seen" not in request.session:
                request.session["last_seen"] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """Administrators, and anyone who has set up an authenticator, must pass TOTP."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(_OPEN_PATHS)
        ):
            from pimh.core.second_factor import needs_second_factor

            step = needs_second_factor(user)  # type: ignore[arg-type]
            if step:
                return redirect(f"{reverse(step)}?next={request.path}")
        return self.get_response(request)


class NoStoreWhenSignedInMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in user (and on the one that signs out).

    Pages of identifiable records must not be kept by the browser's cache or a proxy.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
