"""Worklist, contacts and tasks. Thin: data comes from the user's Scope, changes from services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from pimh.contacts import asq3, counting, forms, presenters, services
from pimh.contacts.models import Contact, ContactType, Task
from pimh.core.once import submit_once
from pimh.families.forms import apply_service_errors
from pimh.families.models import ADULT_ROLES, Family, PersonRole
from pimh.families.reads import audited_read
from pimh.families.scope import Scope, scope_for
from pimh.screening import pathway

clinical = permission_required("families.view_family", raise_exception=True)
team_lead = permission_required("core.view_break_glass_log", raise_exception=True)
PAGE_SIZE = 50


def _scope(request: HttpRequest) -> Scope:
    return scope_for(request)


def _task(request: HttpRequest, pk: int) -> Task:
    scope = _scope(request)
    return scope.record(scope.tasks.select_related("family", "person", "family__team", "family__allocated_hv"), pk)


@login_required
@clinical
def worklist(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    today = timezone.localdate()
    services.refresh_statuses(tasks=presenters.scoped_tasks(scope).filter(assigned_to=request.user), today=today)
    filters = forms.WorklistFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    tasks = presenters.worklist_tasks(
        scope,
        kind=chosen.get("kind", ""),
        due_this_week=chosen.get("due_this_week", False),
        overdue_only=chosen.get("overdue_only", False),
        today=today,
    )
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    tasks_shown = list(page.object_list)
    return render(
        request,
        "contacts/worklist.jinja",
        {
            "rows": presenters.worklist_rows(_scope(request), tasks_shown, today=today),
            "booked": presenters.booked_tasks(scope, [task.pk for task in tasks_shown]),
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "filtered": any(chosen.values()),
        },
    )


def _contact_page(request: HttpRequest, family: Family, form: forms.ContactForm, task: Task | None) -> HttpResponse:
    return render(
        request,
        "contacts/contact_form.jinja",
        {"family": family, "form": form, "task": task, "asq3_domains": asq3.DOMAINS},
    )


def _report(request: HttpRequest, contact: Contact, first: str) -> HttpResponse:
    """Say what the contact did, then go back to the family: by way of the screening prompt when
    the contact is one where each parent present is offered screening."""
    messages.success(request, first)
    for message in presenters.contact_messages(_scope(request), contact):
        messages.info(request, message)
    if pathway.screening_offered(contact.contact_type) and contact.present.filter(role__in=ADULT_ROLES).exists():
        return redirect("contact-recorded", pk=contact.pk)
    return redirect("family-detail", pk=contact.family_id)


@login_required
@clinical
@audited_read
def contact_recorded(request: HttpRequest, pk: int) -> HttpResponse:
    """After a contact: screen each parent present (a link per parent), or go back to the family."""
    contact = _scope(request).record(_scope(request).contacts.select_related("family"), pk)
    return render(request, "contacts/recorded.jinja", presenters.contact_detail(_scope(request), contact))


def _flag_redirect(request: HttpRequest, task: Task) -> HttpResponse | None:
    """An urgent flag's task is closed by recording the action taken on its flag, not here (H-025)."""
    flag = presenters.flags_by_task(_scope(request), [task]).get(task.pk)
    if flag is None:
        return None
    messages.info(request, services.FLAG_TASK_MESSAGE)
    return redirect("flag-close", pk=flag.pk)


def _covered_by_default(task: Task) -> list[int]:
    """The children with an open task of this review's type: ticked when the contact is about the family."""
    if task.kind not in counting.PER_CHILD:
        return []
    return list(
        task.family.tasks.filter(status__in=presenters.OPEN_VALUES, kind=task.kind, person__role=PersonRole.INFANT)
        .order_by("person__date_of_birth", "person_id")
        .values_list("person_id", flat=True)
    )


def _default_present(family: Family, person_id: int | None) -> list[int]:
    parents = list(family.people.filter(role=PersonRole.BIRTHING_PARENT).values_list("pk", flat=True))
    return [pk for pk in [person_id, *parents] if pk is not None]


@login_required
@clinical
@audited_read
@submit_once
@require_http_methods(["GET", "POST"])
def task_contact(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    family = task.family
    if not task.is_open:
        messages.error(request, "This task is already closed")
        return redirect("worklist")
    to_flag = _flag_redirect(request, task)
    if to_flag is not None:
        return to_flag
    covered = _covered_by_default(task)
    # Twins (several children with this review open): the visit is offered for the whole family,
    # with each child ticked; the practitioner narrows it to one child by choosing that child.
    subject = None if len(covered) > 1 else task.person_id
    initial = {
        "contact_type": task.kind if task.kind in ContactType.values else ContactType.ADDITIONAL,
        "subject_id": subject,
        "date": timezone.localdate(),
        "present_ids": _default_present(family, subject) + [pk for pk in covered if subject is None],
        "covers_ids": covered,
    }
    form = forms.ContactForm(request.POST or None, family=family, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.record_contact(by=request.user, family=family, data=form.contact_data(), task=task)  # type: ignore[arg-type]
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _report(request, contact, f"Contact recorded: {task.title}")
    return _contact_page(request, family, form, task)


@login_required
@clinical
@audited_read
@submit_once
@require_http_methods(["GET", "POST"])
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    family = scope.family(pk)
    initial = {"contact_type": ContactType.ADDITIONAL, "date": timezone.localdate()}
    form = forms.ContactForm(request.POST or None, family=family, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.record_contact(by=request.user, family=family, data=form.contact_data())  # type: ignore[arg-type]
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _report(request, contact, f"{contact.get_contact_type_display()} recorded")
    return _contact_page(request, family, form, None)


@login_required
@clinical
@audited_read
@require_http_methods(["GET", "POST"])
def task_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    to_flag = _flag_redirect(request, task)
    if to_flag is not None:
        return to_flag
    form = forms.CancelTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_task(by=request.user, task=task, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Task cancelled: {task.title}")
            return redirect("worklist")
    return render(request, "contacts/task_cancel.jinja", {"task": task, "family": task.family, "form": form})


@login_required
@team_lead
def team_overview(request: HttpRequest) -> HttpResponse:
    view = presenters.team_view(_scope(request))  # refreshes the team's task states when it counts
    return render(
        request,
        "contacts/team_overview.jinja",
        {
            "members": view.members,
            "counted_at": view.counted_at,
            "keep_seconds": settings.AGGREGATE_CACHE_SECONDS,
        },
    )


@login_required
@team_lead
def team_member_overdue(request: HttpRequest, pk: int) -> HttpResponse:
    """One practitioner's overdue work, for the team lead (drill-down from the team view)."""
    member = presenters.team_member(_scope(request), pk)
    if member is None:
        raise Http404("No practitioner found in your teams")
    today = timezone.localdate()
    page = Paginator(presenters.member_overdue_tasks(_scope(request), member), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "contacts/team_member.jinja",
        {
            "member": member,
            "page": page,
            "rows": presenters.overdue_rows(_scope(request), list(page.object_list), today=today),
        },
    )


@login_required
@clinical
@audited_read
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything recorded at one contact: who was there, the notes, who recorded it and when."""
    contact = _scope(request).record(
        _scope(request).contacts.select_related("family", "subject", "pregnancy", "practitioner"), pk
    )
    context = {
        **presenters.contact_detail(_scope(request), contact),
        "feeding_types": asq3.FEEDING_CONTACT_TYPES,
        "asq3_types": asq3.ASQ3_CONTACT_TYPES,
        "domain_labels": asq3.DOMAIN_LABELS,
        "band_labels": asq3.BAND_LABELS,
    }
    return render(request, "contacts/contact_detail.jinja", context)
