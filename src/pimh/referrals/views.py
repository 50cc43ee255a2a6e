"""Referral pages. Thin: records come from the user's Scope, changes from services."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from pimh.core.models import Role
from pimh.core.once import submit_once
from pimh.families import presenters as family_presenters
from pimh.families.forms import apply_service_errors
from pimh.families.reads import audited_read
from pimh.families.scope import Scope, scope_for
from pimh.referrals import forms, presenters, services
from pimh.referrals.models import Referral
from pimh.referrals.states import EVENT_LABELS, Event, State, allowed_events

clinical = permission_required("families.view_family", raise_exception=True)
PAGE_SIZE = 50
# The lead's referrals page shows four lists on one page, each with its total and its own pages. Ten rows
# of each: on a phone every row stacks into five lines, so four lists of 20 were some 400 lines long.
TEAM_LIST_PAGE_SIZE = 10


class CountedPaginator(Paginator):
    """A paginator given its count, counted beforehand with other lists in one query."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def role_only(role: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if getattr(request.user, "role", None) != role:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _scope(request: HttpRequest) -> Scope:
    return scope_for(request)


def _referral(scope: Scope, pk: int) -> Referral:
    return scope.record(scope.referrals.select_related("family", "person", "service", "created_by"), pk)


@login_required
@clinical
@audited_read
@submit_once
@require_http_methods(["GET", "POST"])
def add_referral(request: HttpRequest, pk: int) -> HttpResponse:
    family = _scope(request).family(pk)
    initial = forms.initial_from_query(request.GET)
    form = forms.ReferralForm(request.POST or None, family=family, initial=initial)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = form.chosen_person()
        warnings = services.check_criteria(
            person=person, service=data["service"], urgency=data["urgency"], on=timezone.localdate()
        )
        if warnings and not data["confirm"]:
            form = forms.ReferralForm({**request.POST.dict(), "confirm": "True"}, family=family, initial=initial)
            form.is_valid()
        else:
            try:
                referral = services.create_and_send(
                    by=request.user,  # type: ignore[arg-type]
                    family=family,
                    person=person,
                    service=data["service"],
                    urgency=data["urgency"],
                    reason_code=data["reason_code"],
                    reason_text=data["reason_text"],
                    consent=data["consent"],
                    consent_note=data["consent_note"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Referral to {referral.service.name} sent")
                return redirect("referral-detail", pk=referral.pk)
    return render(request, "referrals/add.jinja", {"family": family, "form": form, "warnings": warnings})


SPECIALIST_ACCEPT = "specialist_accept"
RECORD_CONSENT = "record_consent"


def _action_forms(referral: Referral, data: Any = None, event: str = "", *, specialist: bool = False) -> dict[str, Any]:
    allowed = allowed_events(referral.state)
    return {
        "consent": forms.ConsentForm(data if event == RECORD_CONSENT else None, prefix="consent")
        if referral.state == State.DRAFT
        else None,
        "specialist": forms.SpecialistAcceptForm(data if event == SPECIALIST_ACCEPT else None, prefix="specialist")
        if specialist
        else None,
        "decline": forms.DeclineForm(data if event == Event.DECLINE else None, prefix="decline")
        if Event.DECLINE in allowed
        else None,
        "appointment": forms.AppointmentForm(data if event == Event.OFFER_FIRST_APPOINTMENT else None, prefix="appt")
        if Event.OFFER_FIRST_APPOINTMENT in allowed
        else None,
        "withdraw": forms.WithdrawForm(data if event == Event.WITHDRAW else None, prefix="withdraw")
        if Event.WITHDRAW in allowed
        else None,
        "discharge": forms.DischargeForm(data if event == Event.DISCHARGE else None, prefix="discharge")
        if Event.DISCHARGE in allowed
        else None,
    }


def _apply(request: HttpRequest, referral: Referral, event: str, action_forms: dict[str, Any]) -> bool:
    """Apply the event in one transaction, refused if the referral changed since the page was shown."""
    try:
        with transaction.atomic():
            services.check_unchanged(referral=referral, seen_status=request.POST.get("seen_status"))
            return _apply_event(request, referral, event, action_forms)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return False


def _apply_event(request: HttpRequest, referral: Referral, event: str, action_forms: dict[str, Any]) -> bool:
    by = request.user
    if event == RECORD_CONSENT:
        form = action_forms["consent"]
        if form is None or not form.is_valid():
            return False
        services.record_consent(
            by=by,  # type: ignore[arg-type]
            referral=referral,
            consent=form.cleaned_data["consent"],
            note=form.cleaned_data["consent_note"],
        )
    elif event == SPECIALIST_ACCEPT:
        form = action_forms["specialist"]
        if form is None or not form.is_valid():
            return False
        services.accept_for_specialist(by=by, referral=referral, kind=form.cleaned_data["kind"])  # type: ignore[arg-type]
    elif event == Event.SEND:
        services.send(by=by, referral=referral)  # type: ignore[arg-type]
    elif event == Event.ACKNOWLEDGE:
        services.acknowledge(by=by, referral=referral)  # type: ignore[arg-type]
    elif event == Event.ACCEPT:
        services.accept(by=by, referral=referral)  # type: ignore[arg-type]
    elif event == Event.RECORD_ATTENDED:
        services.record_attended(by=by, referral=referral)  # type: ignore[arg-type]
    elif event == Event.DECLINE:
        form = action_forms["decline"]
        if form is None or not form.is_valid():
            return False
        services.decline(
            by=by,  # type: ignore[arg-type]
            referral=referral,
            reason=form.cleaned_data["decline_reason"],
            note=form.cleaned_data["note"],
        )
    elif event == Event.OFFER_FIRST_APPOINTMENT:
        form = action_forms["appointment"]
        if form is None or not form.is_valid():
            return False
        services.offer_first_appointment(
            by=by,  # type: ignore[arg-type]
            referral=referral,
            on=form.cleaned_data["first_appointment_on"],
        )
    elif event == Event.WITHDRAW:
        form = action_forms["withdraw"]
        if form is None or not form.is_valid():
            return False
        services.withdraw(by=by, referral=referral, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
    elif event == Event.DISCHARGE:
        form = action_forms["discharge"]
        if form is None or not form.is_valid():
            return False
        services.discharge(by=by, referral=referral, note=form.cleaned_data["note"])  # type: ignore[arg-type]
    else:
        messages.error(request, "Choose what to record")
        return False
    return True


@login_required
@clinical
@audited_read
@require_http_methods(["GET", "POST"])
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(_scope(request), pk)
    event = request.POST.get("event", "")
    specialist = presenters.can_decide_for_specialist(request.user, referral)  # type: ignore[arg-type]
    action_forms = _action_forms(
        referral, request.POST if request.method == "POST" else None, event, specialist=specialist
    )
    if request.method == "POST":
        if _apply(request, referral, event, action_forms):
            messages.success(request, f"Recorded: {referral.state_label.lower()}")
            return redirect("referral-detail", pk=referral.pk)
        referral.refresh_from_db()
    simple = [
        (e.value, EVENT_LABELS[e])
        for e in allowed_events(referral.state)
        if e in (Event.SEND, Event.ACKNOWLEDGE, Event.RECORD_ATTENDED)
        or (e == Event.ACCEPT and not specialist)  # the specialist accepts with the kind of involvement
    ]
    return render(
        request,
        "referrals/detail.jinja",
        {
            "referral": referral,
            "family": referral.family,
            "history": list(referral.events.select_related("by")),
            "simple_actions": simple,
            "forms": action_forms,
            "page_has_errors": any(f is not None and f.errors for f in action_forms.values()),
        },
    )


@login_required
@role_only(Role.TEAM_LEAD)
def team_referrals(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    today = timezone.localdate()
    groups = presenters.team_referrals(scope, today)
    tables = []
    for param, heading, caption in (
        ("overdue", "Overdue against the standards", "Referrals overdue against the standards"),
        ("awaiting", "Awaiting acknowledgement", "Referrals awaiting acknowledgement"),
        ("appointment", "Awaiting a first appointment", "Referrals accepted and awaiting a first appointment"),
        ("declined", "Declined", "Declined referrals"),
    ):
        paginator = CountedPaginator(groups.lists[param], TEAM_LIST_PAGE_SIZE, count=groups.counts[param])
        page = paginator.get_page(request.GET.get(param))
        shown = presenters.referral_rows(list(page.object_list), today, with_reason=param == "overdue")
        tables.append((heading, shown, caption, page, param))
    return render(
        request,
        "referrals/team.jinja",
        {"groups": groups, "tables": tables, "keep_seconds": settings.AGGREGATE_CACHE_SECONDS},
    )


@login_required
@role_only(Role.SPECIALIST_HV)
def specialist_caseload(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    mine = (
        presenters.specialist_families(scope.families, request.user)  # type: ignore[arg-type]
        .select_related("allocated_hv", "team")
        .order_by("reference")
    )
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    families = list(page.object_list)
    involvements = presenters.involvements_by_family(scope, request.user, [f.pk for f in families])  # type: ignore[arg-type]
    people = {
        row.family.pk: row
        for row in family_presenters.caseload_rows(
            list(family_presenters.with_people(scope.families.filter(pk__in=[f.pk for f in families])))
        )
    }
    return render(
        request,
        "referrals/specialist.jinja",
        {
            "rows": [(f, people[f.pk], involvements.get(f.pk, [])) for f in families],
            "page": page,
            "waiting": presenters.specialist_queue(scope).count(),
        },
    )


@login_required
@role_only(Role.SPECIALIST_HV)
def specialist_queue(request: HttpRequest) -> HttpResponse:
    """Referrals to the specialist PIMH service from the specialist's teams, waiting for her decision."""
    page = Paginator(presenters.specialist_queue(_scope(request)), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "referrals/specialist_queue.jinja", {"referrals": list(page.object_list), "page": page})


@login_required
@role_only(Role.TEAM_LEAD)
def team_supervision(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    rows, coverage, total = presenters.supervision_rows(scope.team_ids, timezone.localdate())
    return render(
        request,
        "referrals/supervision.jinja",
        {
            "rows": rows,
            "coverage": coverage,
            "total": total,
            "months": presenters.SUPERVISION_INTERVAL_MONTHS,
        },
    )


def _form_page(request: HttpRequest, form: Any, title: str, button: str, back: str, caption: str = "") -> HttpResponse:
    return render(
        request,
        "referrals/form.jinja",
        {"form": form, "title": title, "button": button, "back": back, "caption": caption},
    )


@login_required
@clinical
@audited_read
@submit_once
@require_http_methods(["GET", "POST"])
def add_involvement(request: HttpRequest, pk: int) -> HttpResponse:
    family = _scope(request).family(pk)
    initial = {"specialist": request.user.pk} if getattr(request.user, "role", None) == Role.SPECIALIST_HV else {}
    form = forms.InvolvementForm(request.POST or None, family=family, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_specialist_involvement(
                by=request.user,  # type: ignore[arg-type]
                family=family,
                specialist=form.cleaned_data["specialist"],
                kind=form.cleaned_data["kind"],
                started=form.cleaned_data["started"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Specialist involvement recorded")
            return redirect("family-detail", pk=family.pk)
    return _form_page(
        request,
        form,
        "Record specialist involvement",
        "Save involvement",
        reverse("family-detail", args=[family.pk]),
        caption=f"Family {family.reference}",
    )


@login_required
@role_only(Role.TEAM_LEAD)
@submit_once
@require_http_methods(["GET", "POST"])
def record_supervision(request: HttpRequest) -> HttpResponse:
    form = forms.SupervisionForm(request.POST or None, team_ids=_scope(request).team_ids)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_supervision(by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Supervision session recorded")
            return redirect("team-supervision")
    return _form_page(request, form, "Record a supervision session", "Save session", reverse("team-supervision"))


@login_required
@role_only(Role.TEAM_LEAD)
@submit_once
@require_http_methods(["GET", "POST"])
def record_training(request: HttpRequest) -> HttpResponse:
    form = forms.TrainingForm(request.POST or None, team_ids=_scope(request).team_ids)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_training(by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Training recorded")
            return redirect("team-supervision")
    return _form_page(request, form, "Record training", "Save training", reverse("team-supervision"))
