"""Family pages. Thin: data comes from the user's Scope, changes from services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from pimh.core.once import submit_once
from pimh.families import forms, life_events, postcode_lookup, presenters, services, timeline
from pimh.families.models import Family, Person, PersonRole, Pregnancy, PregnancyOutcome
from pimh.families.reads import audited_read
from pimh.families.scope import Scope, scope_for

clinical = permission_required("families.view_family", raise_exception=True)
PAGE_SIZE = 100


def _scope(request: HttpRequest) -> Scope:
    return scope_for(request)


@login_required
@clinical
def caseload(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    search_form = forms.SearchForm(request.GET)
    text = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
    if search_form.errors:
        families = scope.families.none()
    elif text:
        families = presenters.search(scope.families, text)
    else:
        families = scope.families.filter(allocated_hv=request.user, closed_on__isnull=True)
    filters = forms.CaseloadFilterForm(request.GET)
    families = filters.apply(presenters.with_risk(families)).order_by("reference")
    page = Paginator(presenters.with_people(families), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = presenters.caseload_rows(list(page.object_list))
    return render(
        request,
        "families/caseload.jinja",
        {
            "rows": rows,
            "page": page,
            "search_form": search_form,
            "filters": filters,
            "searching": bool(text) or bool(search_form.errors),
            "query": text,
            "children_total": presenters.children_count(scope),
        },
    )


@login_required
@clinical
@audited_read
def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    family = scope.family(pk)
    break_glass = scope.is_break_glass(family)
    people = list(family.people.order_by("role", "date_of_birth", "pk"))
    carers = {p.carer_with_pr_id for p in people if p.carer_with_pr_id}  # shown first (H-032)
    children = [p for p in people if p.is_infant]
    return render(
        request,
        "families/family_detail.jinja",
        {
            "family": family,
            "adults": sorted((p for p in people if not p.is_infant), key=lambda p: p.pk not in carers),
            "children": children,
            "people_by_pk": {p.pk: p for p in people},
            "bereavements": [p for p in children if p.date_of_death],
            "missed_before_move_in": {p.pk: life_events.missed_before_move_in(p) for p in children},
            "pregnancies": list(family.pregnancies.select_related("mother")),
            "timeline": timeline.entries_for(family),
            "sections": timeline.sections_for(request, family),
            "relationships": {
                (r.adult_id, r.child_id): r.get_kind_display()
                for r in _scope(request).relationships.filter(child__family=family)
            },
            "break_glass": break_glass,
        },
    )


@login_required
@clinical
@submit_once
@require_http_methods(["GET", "POST"])
def register_family(request: HttpRequest) -> HttpResponse:
    team = request.user.teams.order_by("name").first()  # type: ignore[union-attr]
    if team is None:
        messages.error(request, "You are not a member of a team. Ask an administrator to add you to one.")
        return redirect("caseload")
    form = forms.RegisterFamilyForm(request.POST or None, team=team, initial={"allocated_hv": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            family = services.register_family(
                by=request.user,
                team=team,
                allocated_hv=form.cleaned_data["allocated_hv"],  # type: ignore[arg-type]
                details=form.details(),
                parent=form.parent(),
                second_parent=form.second_parent(),
                edd=form.cleaned_data.get("edd"),
            )
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        else:
            messages.success(request, f"Family {family.reference} registered")
            return redirect("family-detail", pk=family.pk)
    return render(
        request, "families/register.jinja", {"form": form, "team": team, "lookup": postcode_lookup.configured()}
    )


def _person_form_page(
    request: HttpRequest,
    family: Family,
    form: forms.PersonFields,
    person: Person | None,
    relationship_form: forms.RelationshipForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "families/person_form.jinja",
        {"family": family, "form": form, "person": person, "relationship_form": relationship_form},
    )


@login_required
@clinical
@audited_read
@submit_once
@require_http_methods(["GET", "POST"])
def add_person(request: HttpRequest, pk: int) -> HttpResponse:
    family = _scope(request).family(pk)
    form = forms.PersonFields(request.POST or None, initial={"family_name": ""})
    if request.method == "POST" and form.is_valid():
        try:
            person = services.add_person(by=request.user, family=family, data=form.person_data())  # type: ignore[arg-type]
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        else:
            messages.success(request, f"{person.full_name} added")
            return redirect("family-detail", pk=family.pk)
    return _person_form_page(request, family, form, None)


@login_required
@clinical
@audited_read
@require_http_methods(["GET", "POST"])
def edit_person(request: HttpRequest, pk: int) -> HttpResponse:
    person = _scope(request).person(pk)
    initial = {name: getattr(person, name) for name in forms.PersonFields.base_fields}
    initial["nhs_number"] = person.nhs_number or ""
    initial["version"] = person.version
    form = forms.PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        seen = form.cleaned_data["version"]
        try:
            services.update_person(by=request.user, person=person, data=form.person_data(), seen_version=seen)  # type: ignore[arg-type]
        except ValidationError as error:
            form = forms.PersonEditForm({**request.POST.dict(), "version": person.version}, initial=initial)
            form.is_valid()
            forms.apply_service_errors(form, error)
        else:
            messages.success(request, f"{person.full_name} updated")
            return redirect("family-detail", pk=person.family_id)
    return _person_form_page(request, person.family, form, person)


@login_required
@clinical
@audited_read
@submit_once
@require_http_methods(["GET", "POST"])
def change_service_level(request: HttpRequest, pk: int) -> HttpResponse:
    family = _scope(request).family(pk)
    form = forms.ServiceLevelForm(request.POST or None, initial={"level": family.service_level})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_service_level(by=request.user, family=family, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        else:
            messages.success(request, "Service level recorded")
            return redirect("family-detail", pk=family.pk)
    return render(
        request,
        "families/simple_form.jinja",
        {"family": family, "form": form, "title": "Change service level", "button": "Save service level"},
    )


@login_required
@clinical
@audited_read
@submit_once
@require_http_methods(["GET", "POST"])
def add_pregnancy(request: HttpRequest, pk: int) -> HttpResponse:
    family = _scope(request).family(pk)
    mother = family.people.filter(role=PersonRole.BIRTHING_PARENT).first()
    if mother is None:
        messages.error(request, "Add the birthing parent before recording a pregnancy")
        return redirect("family-detail", pk=family.pk)
    form = forms.PregnancyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_pregnancy(by=request.user, family=family, mother=mother, edd=form.cleaned_data["edd"])  # type: ignore[arg-type]
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        else:
            messages.success(request, "Pregnancy recorded")
            return redirect("family-detail", pk=family.pk)
    return render(
        request,
        "families/simple_form.jinja",
        {
            "family": family,
            "form": form,
            "title": f"Record a pregnancy for {mother.full_name}",
            "button": "Save pregnancy",
        },
    )


def _ongoing_pregnancy(request: HttpRequest, pk: int) -> Pregnancy:
    scope = _scope(request)
    return scope.record(
        scope.pregnancies.select_related("family", "mother").filter(outcome=PregnancyOutcome.ONGOING), pk
    )


@login_required
@clinical
@audited_read
@submit_once
@require_http_methods(["GET", "POST"])
def record_birth(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the birth: one or more babies (twins: two), each linked to the pregnancy and mother."""
    pregnancy = _ongoing_pregnancy(request, pk)
    chooser = forms.BabiesForm(request.POST if request.method == "POST" else request.GET or None)
    count = chooser.cleaned_data["babies"] if chooser.is_valid() else 1
    data = request.POST if request.method == "POST" else None
    babies = forms.birth_forms(data, count=count, family_name=pregnancy.mother.family_name)
    if request.method == "POST" and all([form.is_valid() for form in babies]):
        try:
            people = services.record_live_birth(
                by=request.user,  # type: ignore[arg-type]
                pregnancy=pregnancy,
                infants=[form.person_data() for form in babies],
            )
        except ValidationError as error:
            forms.apply_birth_errors(babies, error)
        else:
            names = " and ".join(p.full_name for p in people)
            messages.success(request, f"Birth recorded: {names}")
            return redirect("family-detail", pk=pregnancy.family_id)
    return render(
        request,
        "families/birth.jinja",
        {
            "family": pregnancy.family,
            "pregnancy": pregnancy,
            "chooser": forms.BabiesForm(initial={"babies": count}),
            "count": count,
            "babies": babies,
            "has_errors": any(form.errors for form in babies),
        },
    )


@login_required
@clinical
@audited_read
@require_http_methods(["GET", "POST"])
def record_loss(request: HttpRequest, pk: int) -> HttpResponse:
    pregnancy = _ongoing_pregnancy(request, pk)
    form = forms.LossForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_pregnancy_loss(by=request.user, pregnancy=pregnancy, on=form.cleaned_data["outcome_date"])  # type: ignore[arg-type]
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        else:
            messages.success(request, "Recorded. Routine prompts for this pregnancy have stopped.")
            return redirect("family-detail", pk=pregnancy.family_id)
    return render(
        request,
        "families/simple_form.jinja",
        {
            "family": pregnancy.family,
            "form": form,
            "title": "Record a pregnancy loss",
            "button": "Save",
            "hint": "This stops every routine prompt and contact for this pregnancy. "
            "Consider what support the family would like.",
        },
    )


@login_required
@clinical
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    """Open a family outside your teams by NHS number, with a reason that is audited."""
    form = forms.BreakGlassLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = _scope(request).anyone_by_nhs_number(form.cleaned_data["nhs_number"])
        if person is None:
            form.add_error("nhs_number", "No one with this NHS number is recorded in this service")
        else:
            scope = _scope(request)
            if not scope.is_break_glass(person.family):
                return redirect("family-detail", pk=person.family_id)
            try:
                services.grant_break_glass(by=request.user, family=person.family, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
            except ValidationError as error:
                forms.apply_service_errors(form, error)
            else:
                return redirect("family-detail", pk=person.family_id)
    return render(request, "families/break_glass.jinja", {"form": form})


# ---- life events -----------------------------------------------------------------------------------


def _child(request: HttpRequest, pk: int) -> Person:
    from django.http import Http404

    person = _scope(request).person(pk)
    if not person.is_infant:
        raise Http404("No child found")
    return person


def _life_event_page(
    request: HttpRequest, person: Person, form: Any, save: Callable[[], object], *, title: str, button: str, hint: str
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        else:
            messages.success(request, f"{title}: saved")
            return redirect("family-detail", pk=person.family_id)
    return render(
        request,
        "families/simple_form.jinja",
        {"family": person.family, "form": form, "title": title, "button": button, "hint": hint},
    )


@login_required
@clinical
@audited_read
@require_http_methods(["GET", "POST"])
def record_move_in(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child(request, pk)
    form = forms.MoveInForm(request.POST or None)
    return _life_event_page(
        request,
        child,
        form,
        lambda: life_events.record_move_in(
            by=request.user,  # type: ignore[arg-type]
            person=child,
            on=form.cleaned_data["moved_in_on"],
            previous_provider=form.cleaned_data["previous_provider"],
        ),
        title=f"{child.full_name} moved in",
        button="Save move in",
        hint="A transfer-in contact task is created, naming the mandated contacts that were due before the move.",
    )


@login_required
@clinical
@audited_read
@require_http_methods(["GET", "POST"])
def record_move_out(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child(request, pk)
    form = forms.MoveOutForm(request.POST or None)
    return _life_event_page(
        request,
        child,
        form,
        lambda: life_events.record_move_out(
            by=request.user,  # type: ignore[arg-type]
            person=child,
            on=form.cleaned_data["moved_out_on"],
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
        ),
        title=f"{child.full_name} moved out or transferred",
        button="Save",
        hint="The child's open tasks close with this reason and this service's responsibility ends on this date.",
    )


@login_required
@clinical
@audited_read
@require_http_methods(["GET", "POST"])
def record_death(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child(request, pk)
    form = forms.DeathForm(request.POST or None)
    return _life_event_page(
        request,
        child,
        form,
        lambda: life_events.record_death(
            by=request.user,  # type: ignore[arg-type]
            person=child,
            on=form.cleaned_data["date_of_death"],
        ),
        title=f"Record the death of {child.full_name}",
        button="Save",
        hint="Every prompt for this child stops at once. Other children's contacts continue. "
        "Consider what bereavement support the family would like.",
    )


@login_required
@clinical
@audited_read
@require_http_methods(["GET", "POST"])
def record_looked_after(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child(request, pk)
    form = forms.LookedAfterForm(request.POST or None, family=child.family)
    return _life_event_page(
        request,
        child,
        form,
        lambda: life_events.record_looked_after(
            by=request.user,  # type: ignore[arg-type]
            person=child,
            carer=child.family.people.get(pk=form.cleaned_data["carer"]),
            on=form.cleaned_data["carer_from"],
            relationship=form.cleaned_data["relationship"],
        ),
        title=f"{child.full_name} is looked after",
        button="Save carer",
        hint="Record the carer with parental responsibility. The family record shows this carer first. "
        "Record a change of carer the same way.",
    )


@login_required
@clinical
@audited_read
@require_http_methods(["GET", "POST"])
def end_looked_after(request: HttpRequest, pk: int) -> HttpResponse:
    child = _child(request, pk)
    form = forms.EndLookedAfterForm(request.POST or None)
    return _life_event_page(
        request,
        child,
        form,
        lambda: life_events.end_looked_after(
            by=request.user,  # type: ignore[arg-type]
            person=child,
            on=form.cleaned_data["ended_on"],
            note=form.cleaned_data["note"],
        ),
        title=f"{child.full_name} is no longer looked after",
        button="Save",
        hint="The carer stays on the family record but is no longer shown as holding parental responsibility.",
    )


@login_required
@clinical
@audited_read
@require_http_methods(["GET", "POST"])
def correct_edd(request: HttpRequest, pk: int) -> HttpResponse:
    pregnancy = _ongoing_pregnancy(request, pk)
    form = forms.EddCorrectionForm(request.POST or None, initial={"edd": pregnancy.edd})
    return _life_event_page(
        request,
        pregnancy.mother,
        form,
        lambda: life_events.correct_edd(
            by=request.user,  # type: ignore[arg-type]
            pregnancy=pregnancy,
            edd=form.cleaned_data["edd"],
        ),
        title="Correct the estimated date of delivery",
        button="Save corrected date",
        hint="Open contact tasks move to the corrected dates, with the change in each task's history. "
        "Completed and closed tasks keep their dates.",
    )
