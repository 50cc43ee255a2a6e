"""Contacts, tasks, screens, referrals and urgent flags. Reads through the Scope, writes through the services."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from pimh.api.audited import audited, clinical_scope
from pimh.api.routes_families import ERRORS, MAX_LIMIT, MAX_OFFSET, paginate
from pimh.api.schemas import (
    ContactIn,
    ContactOut,
    FlagOut,
    Page,
    ReferralIn,
    ReferralOut,
    ScreenIn,
    ScreenOut,
    TaskOut,
)
from pimh.contacts import services as contact_services
from pimh.contacts.models import Contact, Task, TaskKind
from pimh.contacts.task_states import OPEN, TaskStatus
from pimh.referrals import services as referral_services
from pimh.referrals.models import ReasonCode, Referral, Service
from pimh.screening import services as screening_services
from pimh.screening.models import FlagStatus, Screen, UrgentFlag

router = Router(tags=["work"])
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 409: ERRORS[404]}


def contact_out(contact: Contact) -> dict[str, Any]:
    fields = ["family_id", "subject_id", "contact_type", "date", "time", "mode", "location", "attendance"]
    return {
        "id": contact.pk,
        **{name: getattr(contact, name) for name in fields},
        "present_ids": sorted(p.pk for p in contact.present.all()),
        "covers_ids": sorted(p.pk for p in contact.covers.all()),
        "counts_for_metrics": contact.counts_for_metrics,
    }


def task_out(task: Task) -> dict[str, Any]:
    fields = ["family_id", "person_id", "kind", "title", "urgent", "due_from", "due_by", "status"]
    return {"id": task.pk, "family_reference": task.family.reference, **{n: getattr(task, n) for n in fields}}


def screen_out(screen: Screen) -> dict[str, Any]:
    fields = [
        "family_id",
        "person_id",
        "instrument",
        "instrument_version",
        "answers",
        "item_scores",
        "total",
        "total_at_least",
        "cutoff",
        "missing_items",
        "band",
        "outcome",
        "risk_item_flag",
        "recorded_at",
    ]
    return {"id": screen.pk, **{name: getattr(screen, name) for name in fields}}


def referral_out(referral: Referral) -> dict[str, Any]:
    fields = ["family_id", "person_id", "service_id", "urgency", "reason_code", "status", "created_at", "sent_on"]
    return {
        "id": referral.pk,
        **{name: getattr(referral, name) for name in fields},
        "service": referral.service.name,
        "criteria_warnings": list(referral.criteria_warnings),
    }


def flag_out(flag: UrgentFlag) -> dict[str, Any]:
    fields = ["family_id", "person_id", "reason", "emergency", "status", "raised_at", "deadline"]
    return {"id": flag.pk, **{name: getattr(flag, name) for name in fields}}


# ---- my work ------------------------------------------------------------------------------------


@router.get("/tasks", response={200: Page[TaskOut], **ERRORS}, summary="My work: tasks assigned to me")
def my_tasks(
    request: HttpRequest,
    kind: TaskKind | None = None,
    status: TaskStatus | None = None,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    """Like the worklist page: open tasks assigned to the caller (no per-family read event)."""
    scope = clinical_scope(request)
    tasks = scope.tasks.filter(assigned_to=request.user).select_related("family")
    if kind:
        tasks = tasks.filter(kind=kind)
    tasks = tasks.filter(status=status) if status else tasks.filter(status__in=[s.value for s in OPEN])
    return paginate(tasks.order_by("-urgent", "due_by", "pk"), limit, offset, task_out)


@router.get("/flags", response={200: Page[FlagOut], **ERRORS}, summary="Open urgent flags on my teams' families")
def open_flags(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    """Like the team's urgent flags page (no per-family read event)."""
    scope = clinical_scope(request)
    flags = scope.flags.filter(status=FlagStatus.OPEN).order_by("-emergency", "raised_at", "pk")
    return paginate(flags, limit, offset, flag_out)


# ---- one family's records -------------------------------------------------------------------------


@router.get("/families/{family_id}/contacts", response={200: Page[ContactOut], **ERRORS}, summary="A family's contacts")
@audited
def family_contacts(
    request: HttpRequest,
    family_id: int,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    family = clinical_scope(request).family(family_id)
    contacts = family.contacts.prefetch_related("present", "covers").order_by("-date", "-pk")
    return paginate(contacts, limit, offset, contact_out)


@router.post("/families/{family_id}/contacts", response={201: ContactOut, **WRITE_ERRORS}, summary="Record a contact")
@audited
def create_contact(request: HttpRequest, family_id: int, payload: ContactIn) -> Any:
    scope = clinical_scope(request)
    family = scope.family(family_id)
    task = None
    if payload.task_id is not None:
        task = scope.record(Task.objects.select_related("person", "pregnancy"), payload.task_id)
    data = contact_services.ContactData(
        **payload.dict(exclude={"task_id", "present_ids", "covers_ids"}),
        present_ids=tuple(payload.present_ids),
        covers_ids=tuple(payload.covers_ids),
    )
    contact = contact_services.record_contact(by=request.user, family=family, data=data, task=task)  # type: ignore[arg-type]
    return Status(201, contact_out(contact))


@router.get("/families/{family_id}/tasks", response={200: list[TaskOut], **ERRORS}, summary="A family's tasks")
@audited
def family_tasks(request: HttpRequest, family_id: int) -> Any:
    family = clinical_scope(request).family(family_id)
    return [task_out(t) for t in family.tasks.select_related("family").order_by("due_by", "pk")]


@router.get("/families/{family_id}/screens", response={200: list[ScreenOut], **ERRORS}, summary="A family's screens")
@audited
def family_screens(request: HttpRequest, family_id: int) -> Any:
    family = clinical_scope(request).family(family_id)
    return [screen_out(s) for s in family.screens.order_by("-recorded_at", "-pk")]


@router.get("/screens/{screen_id}", response={200: ScreenOut, **ERRORS}, summary="One screen (answer positions only)")
@audited
def get_screen(request: HttpRequest, screen_id: int) -> Any:
    return screen_out(clinical_scope(request).record(Screen.objects.all(), screen_id))


@router.post("/families/{family_id}/screens", response={201: ScreenOut, **WRITE_ERRORS}, summary="Record a screen")
@audited
def create_screen(request: HttpRequest, family_id: int, payload: ScreenIn) -> Any:
    scope = clinical_scope(request)
    family = scope.family(family_id)
    person = family.people.filter(pk=payload.person_id).first()
    if person is None:
        raise ValidationError({"person_id": "Choose a parent in this family"})
    screen = screening_services.record_screen(
        by=request.user,  # type: ignore[arg-type]
        family=family,
        person=person,
        instrument=payload.instrument,
        answers=payload.answers,
        concern=payload.concern,
        interpreter_used=payload.interpreter_used,
        interpreter_language=payload.interpreter_language,
    )
    return Status(201, screen_out(screen))


@router.get(
    "/families/{family_id}/referrals", response={200: list[ReferralOut], **ERRORS}, summary="A family's referrals"
)
@audited
def family_referrals(request: HttpRequest, family_id: int) -> Any:
    family = clinical_scope(request).family(family_id)
    return [referral_out(r) for r in family.referrals.select_related("service").order_by("-created_at", "-pk")]


@router.get("/referrals/{referral_id}", response={200: ReferralOut, **ERRORS}, summary="One referral")
@audited
def get_referral(request: HttpRequest, referral_id: int) -> Any:
    return referral_out(clinical_scope(request).record(Referral.objects.select_related("service"), referral_id))


@router.post("/families/{family_id}/referrals", response={201: ReferralOut, **WRITE_ERRORS}, summary="Draft a referral")
@audited
def create_referral(request: HttpRequest, family_id: int, payload: ReferralIn) -> Any:
    scope = clinical_scope(request)
    family = scope.family(family_id)
    errors: dict[str, str] = {}
    person = family.people.filter(pk=payload.person_id).first()
    service = Service.objects.filter(pk=payload.service_id).first()
    if person is None:
        errors["person_id"] = "Choose someone in this family"
    if service is None:
        errors["service_id"] = "Choose a service from the directory"
    if payload.reason_code not in ReasonCode.values:
        errors["reason_code"] = "Choose the reason"
    if errors:
        raise ValidationError(errors)
    referral = referral_services.create_referral(
        by=request.user,  # type: ignore[arg-type]
        family=family,
        person=person,  # type: ignore[arg-type]
        service=service,  # type: ignore[arg-type]
        urgency=payload.urgency,
        reason_code=payload.reason_code,
        reason_text=payload.reason_text,
        today=timezone.localdate(),
    )
    return Status(201, referral_out(referral))


@router.get("/families/{family_id}/flags", response={200: list[FlagOut], **ERRORS}, summary="A family's urgent flags")
@audited
def family_flags(request: HttpRequest, family_id: int) -> Any:
    family = clinical_scope(request).family(family_id)
    return [flag_out(f) for f in family.urgent_flags.order_by("-raised_at", "-pk")]
