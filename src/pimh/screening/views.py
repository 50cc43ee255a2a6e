"""Screening pages. Thin: records come through the user's Scope, changes through services."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from pimh.contacts.models import Contact
from pimh.core.once import submit_once
from pimh.core.rules import is_team_lead
from pimh.families.forms import apply_service_errors
from pimh.families.models import Family, Person, PersonRole
from pimh.families.reads import audited_read
from pimh.families.scope import Scope, scope_for
from pimh.screening import forms, instruments, pathway, presenters, services
from pimh.screening.models import Decision, FlagStatus, Screen

clinical = permission_required("families.view_family", raise_exception=True)
PAGE_SIZE = 50


def _scope(request: HttpRequest) -> Scope:
    return scope_for(request)


def _parents(family: Family) -> list[Person]:
    return list(family.people.filter(role__in=forms.PARENT_ROLES).order_by("role", "pk"))


def _get(queryset, pk: int):  # type: ignore[no-untyped-def]
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404("Not found") from None


def _contact(family: Family, value: str | None) -> Contact | None:
    """The contact named in ``?contact=``: none when absent; 404 unless it is one of this family's."""
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,18}", value):  # str.isdigit() accepts '²', which int() refuses
        raise Http404("No contact found")
    return _get(family.contacts.all(), int(value))


@login_required
@clinical
@audited_read
@submit_once
@require_http_methods(["GET", "POST"])
def add_screen(request: HttpRequest, pk: int) -> HttpResponse:
    family = _scope(request).family(pk)
    parents = _parents(family)
    # Bound only once both choices are in the address: a link that names the person ("Record another
    # questionnaire") opens the form with that person chosen and no error showing.
    chosen = "person" in request.GET and "instrument" in request.GET
    choose = forms.ChooseForm(
        request.GET if chosen else None, initial={"person": request.GET.get("person")}, parents=parents
    )
    contact = _contact(family, request.GET.get("contact"))
    if not choose.is_valid():
        return render(
            request,
            "screening/choose.jinja",
            {"family": family, "form": choose, "contact": contact, "has_parents": bool(parents)},
        )
    person = next(p for p in parents if str(p.pk) == choose.cleaned_data["person"])
    instrument = instruments.get(choose.cleaned_data["instrument"])
    form = forms.AnswersForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            screen = services.record_screen(
                by=request.user,  # type: ignore[arg-type]
                family=family,
                person=person,
                instrument=instrument.code,
                answers=form.answers(),
                contact=contact,
                concern=form.cleaned_data["concern"],
                interpreter_used=form.cleaned_data["interpreter_used"],
                interpreter_language=form.cleaned_data["interpreter_language"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{instrument.name} recorded for {person.full_name}")
            return redirect("screen-detail", pk=screen.pk)
    return render(
        request,
        "screening/answers.jinja",
        {"family": family, "person": person, "instrument": instrument, "form": form, "contact": contact},
    )


def _screen_page(
    request: HttpRequest,
    screen: Screen,
    *,
    form: forms.DecideForm | None = None,
    form_for: int | None = None,
    status: int = 200,
) -> HttpResponse:
    suggestions = list(screen.suggestions.select_related("decided_by", "task"))
    decide_forms = {s.pk: form if s.pk == form_for and form else forms.decide_form(s.pk) for s in suggestions}
    return render(
        request,
        "screening/screen_detail.jinja",
        {
            "screen": screen,
            "family": screen.family,
            "instrument": instruments.get(screen.instrument),
            "item_scores": ", ".join("not answered" if s is None else str(s) for s in screen.item_scores),
            "suggestions": suggestions,
            "decide_forms": decide_forms,
            "flags": list(screen.flags.select_related("action_by")),
            "decide_form": form or forms.DecideForm(),
            "quick": {
                s.pk: [instruments.get(code) for code in pathway.full_assessment_choices(s.kind)] for s in suggestions
            },
            "form_for": form_for,
        },
        status=status,
    )


@login_required
@clinical
@audited_read
def screen_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    screen = scope.record(scope.screens.select_related("family", "person", "recorded_by"), pk)
    return _screen_page(request, screen)


@login_required
@clinical
@audited_read
@require_http_methods(["GET", "POST"])
def decide_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    suggestion = scope.record(scope.suggestions.select_related("screen"), pk, family_path="screen__family")
    if request.method == "GET":
        return _screen_page(request, suggestion.screen)
    form = forms.decide_form(suggestion.pk, request.POST)
    if form.is_valid():
        try:
            decided = services.decide_suggestion(
                by=request.user,  # type: ignore[arg-type]
                suggestion=suggestion,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Decision recorded")
            then = request.POST.get("then", "")
            if decided.decision == Decision.ACCEPTED and then in pathway.full_assessment_choices(decided.kind):
                query = urlencode(_assessment_query(suggestion.screen, then))
                return redirect(f"{reverse('screen-add', args=[suggestion.screen.family_id])}?{query}")
            if decided.is_referral and decided.decision == Decision.ACCEPTED:
                query = urlencode(services.referral_form_query(decided))
                return redirect(f"{reverse('referral-add', args=[suggestion.screen.family_id])}?{query}")
            return redirect("screen-detail", pk=suggestion.screen_id)
    screen = suggestion.screen
    return _screen_page(request, screen, form=form, form_for=suggestion.pk, status=400)


def _assessment_query(screen: Screen, instrument: str) -> dict[str, str]:
    """Open the questionnaire form for the same parent (and contact) as the screen that suggested it."""
    query = {"person": str(screen.person_id), "instrument": instrument}
    if screen.contact_id:
        query["contact"] = str(screen.contact_id)
    return query


@login_required
@clinical
@audited_read
@require_http_methods(["GET", "POST"])
def close_flag(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    flag = scope.record(scope.flags.select_related("family", "person"), pk)
    if flag.status != FlagStatus.OPEN:
        messages.info(request, "This flag has already been cleared")
        return redirect("family-detail", pk=flag.family_id)
    form = forms.CloseFlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_flag(by=request.user, flag=flag, action_taken=form.cleaned_data["action_taken"])  # type: ignore[arg-type]
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Action recorded and the urgent flag cleared")
            return redirect("family-detail", pk=flag.family_id)
    return render(request, "screening/close_flag.jinja", {"flag": flag, "family": flag.family, "form": form})


@login_required
@clinical
@audited_read
@submit_once
@require_http_methods(["GET", "POST"])
def raise_flag(request: HttpRequest, pk: int) -> HttpResponse:
    family = _scope(request).family(pk)
    parents = _parents(family)
    form = forms.RaiseFlagForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        person = next(p for p in parents if str(p.pk) == form.cleaned_data["person"])
        try:
            services.raise_flag(
                by=request.user,  # type: ignore[arg-type]
                family=family,
                person=person,
                reason=form.cleaned_data["reason"],
                emergency=form.cleaned_data["emergency"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Urgent flag raised and an urgent task created")
            return redirect("family-detail", pk=family.pk)
    return render(
        request,
        "screening/simple_form.jinja",
        {"family": family, "form": form, "title": "Raise a clinical red flag", "button_text": "Raise urgent flag"},
    )


@login_required
@clinical
@audited_read
@submit_once
@require_http_methods(["GET", "POST"])
def add_relationship(request: HttpRequest, pk: int) -> HttpResponse:
    family = _scope(request).family(pk)
    parents = _parents(family)
    infants = list(family.people.filter(role=PersonRole.INFANT).order_by("date_of_birth", "pk"))
    form = forms.RelationshipForm(request.POST or None, parents=parents, infants=infants)
    contact = _contact(family, request.GET.get("contact"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_relationship(
                by=request.user,  # type: ignore[arg-type]
                family=family,
                parent=next(p for p in parents if str(p.pk) == data["parent"]),
                infant=next(p for p in infants if str(p.pk) == data["infant"]),
                judgement=data["judgement"],
                observations=data["observations"],
                notes=data["notes"],
                contact=contact,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Parent-infant relationship recorded")
            return redirect("family-detail", pk=family.pk)
    return render(request, "screening/relationship.jinja", {"family": family, "form": form})


@login_required
def team_urgent_flags(request: HttpRequest) -> HttpResponse:
    """Team leads: every open urgent flag of their teams' families, emergencies first."""
    if not is_team_lead(request.user):
        raise PermissionDenied
    scope = scope_for(request)
    flags = presenters.open_flags_query(scope.flags.filter(family__team_id__in=scope.team_ids))
    page = Paginator(flags, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "screening/team_flags.jinja", {"flags": list(page.object_list), "page": page})


@login_required
@clinical
@audited_read
def flag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An urgent flag read back: why and by whom it was raised, and the action taken to clear it."""
    flags = _scope(request).flags.select_related("family", "person", "screen", "raised_by", "action_by", "task")
    flag = _scope(request).record(flags, pk)
    return render(request, "screening/flag_detail.jinja", {"flag": flag, "family": flag.family})


@login_required
@clinical
@audited_read
def relationship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A parent-infant relationship observation read back, with its notes, who recorded it and when."""
    observations = _scope(request).observations.select_related(
        "family", "parent", "infant", "contact", "recorded_by", "task"
    )
    observation = _scope(request).record(observations, pk)
    return render(
        request,
        "screening/relationship_detail.jinja",
        {
            "observation": observation,
            "family": observation.family,
            "seen": presenters.observation_labels(observation),
        },
    )
