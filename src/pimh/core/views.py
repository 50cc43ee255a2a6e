"""Sign-in, second factor, home, help and the break-glass log. Thin: services write."""

from __future__ import annotations

import base64

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from pimh.core import services
from pimh.core.forms_auth import LoginForm, TokenForm
from pimh.core.models import Role
from pimh.core.presenters import qr_svg_data_uri
from pimh.core.second_factor import confirmed_device
from pimh.families.scope import scope_for


class LoginView(auth_views.LoginView):
    template_name = "core/login.jinja"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _next_url(request: HttpRequest, default: str = "home") -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    from django.urls import reverse

    return reverse(default)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = request.user.role  # type: ignore[union-attr]
    if role == Role.ANALYST:
        return redirect("overview")
    if role == Role.ADMINISTRATOR:
        return redirect("admin:index")
    if role == Role.TEAM_LEAD:
        return redirect("team-overview")
    return redirect("worklist")


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    device = confirmed_device(request.user)  # type: ignore[arg-type]
    if device is None:
        return redirect("otp-setup")
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(request, "core/otp_verify.jinja", {"form": form, "next": request.GET.get("next", "")})


def _setup_page(request: HttpRequest, device: TOTPDevice, form: TokenForm) -> HttpResponse:
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "core/otp_setup.jinja",
        {
            "form": form,
            "qr_data_uri": qr_svg_data_uri(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": request.GET.get("next", ""),
        },
    )


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Practitioners may add an authenticator themselves; administrators need an enrolment link."""
    if confirmed_device(request.user) is not None:  # type: ignore[arg-type]
        return redirect("otp-verify")
    if not services.may_enrol_self(request.user):  # type: ignore[arg-type]
        return redirect("otp-enrolment-needed")
    device = services.start_totp_setup(by=request.user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        services.confirm_totp(by=request.user, device=device)  # type: ignore[arg-type]
        otp_login(request, device)
        return redirect(_next_url(request))
    return _setup_page(request, device, form)


@login_required
def otp_enrolment_needed(request: HttpRequest) -> HttpResponse:
    return render(request, "core/otp_enrolment_needed.jinja", {})


@login_required
def otp_enrol(request: HttpRequest, token: str) -> HttpResponse:
    """Enrol an authenticator from a single-use link made by another administrator or an operator."""
    link = services.usable_enrolment(token=token, user=request.user)  # type: ignore[arg-type]
    if link is None:
        return render(request, "core/otp_enrolment_needed.jinja", {"link_refused": True}, status=404)
    device = services.start_totp_setup(by=request.user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrol_with_link(by=request.user, link=link, device=device)  # type: ignore[arg-type]
        except services.EnrolmentError:
            return render(request, "core/otp_enrolment_needed.jinja", {"link_refused": True}, status=404)
        otp_login(request, device)
        return redirect("home")
    return _setup_page(request, device, form)


BREAK_GLASS_PAGE_SIZE = 50
BREAK_GLASS_ROW_FIELDS = (
    *("granted_at", "expires_at", "reason", "family", "family__reference"),
    *("user", "user__first_name", "user__last_name", "user__username"),
)


@login_required
@permission_required("core.view_break_glass_log", raise_exception=True)
def break_glass_log(request: HttpRequest) -> HttpResponse:
    """Team leads see every break-glass access to their teams' families."""
    scope = scope_for(request)
    accesses = (
        scope.break_glass_log.select_related("user", "family")
        .only(*BREAK_GLASS_ROW_FIELDS)
        .order_by("-granted_at", "-pk")
    )
    page = Paginator(accesses, BREAK_GLASS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/break_glass_log.jinja",
        {"accesses": list(page.object_list), "page": page, "now": timezone.now()},
    )


def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "core/help.jinja", {})
