"""Families, people and pregnancies: read through the caller's Scope, each identifiable answer audited."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from pimh.api.audited import audited, clinical_scope
from pimh.api.schemas import FamilyOut, Page, PersonOut, PregnancyOut, Problem
from pimh.core.values import InvalidIdentifier, NhsNumber
from pimh.families.models import Family, Person, Pregnancy, ServiceLevel

router = Router(tags=["families"])
ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
MAX_LIMIT = 100
MAX_OFFSET = 100_000


def paginate(queryset: QuerySet[Any], limit: int, offset: int, out: Any) -> dict[str, Any]:
    return {
        "count": queryset.count(),
        "limit": limit,
        "offset": offset,
        "items": [out(item) for item in queryset[offset : offset + limit]],
    }


def family_out(family: Family) -> dict[str, Any]:
    hv = family.allocated_hv
    return {
        "id": family.pk,
        "reference": family.reference,
        "team": family.team.name,
        "allocated_health_visitor": hv.display_name if hv else None,
        "service_level": family.service_level,
        "safeguarding": family.safeguarding,
        "language": family.language,
        "interpreter_needed": family.interpreter_needed,
        "created_at": family.created_at,
    }


def person_out(person: Person) -> dict[str, Any]:
    fields = ["family_id", "role", "nhs_number", "given_name", "family_name", "date_of_birth", "sex"]
    out = {"id": person.pk, **{name: getattr(person, name) for name in fields}}
    return {**out, "ethnic_category": person.ethnic_category, "date_of_death": person.date_of_death}


def pregnancy_out(pregnancy: Pregnancy) -> dict[str, Any]:
    fields = ["family_id", "mother_id", "edd", "outcome", "outcome_date"]
    return {"id": pregnancy.pk, **{name: getattr(pregnancy, name) for name in fields}}


@router.get("/families", response={200: Page[FamilyOut], **ERRORS}, summary="Families on the caller's caseload")
def list_families(
    request: HttpRequest,
    service_level: ServiceLevel | None = None,
    allocated_to_me: bool = False,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    """Like the caseload page: a list of families, no per-family read event (open one to read it)."""
    families = clinical_scope(request).families.select_related("team", "allocated_hv").order_by("reference")
    if service_level:
        families = families.filter(service_level=service_level)
    if allocated_to_me:
        families = families.filter(allocated_hv=request.user)
    return paginate(families, limit, offset, family_out)


@router.get("/families/{family_id}", response={200: FamilyOut, **ERRORS}, summary="One family")
@audited
def get_family(request: HttpRequest, family_id: int) -> Any:
    return family_out(clinical_scope(request).family(family_id))


@router.get("/families/{family_id}/people", response={200: list[PersonOut], **ERRORS}, summary="A family's people")
@audited
def family_people(request: HttpRequest, family_id: int) -> Any:
    family = clinical_scope(request).family(family_id)
    return [person_out(p) for p in family.people.order_by("role", "date_of_birth", "pk")]


@router.get(
    "/families/{family_id}/pregnancies", response={200: list[PregnancyOut], **ERRORS}, summary="A family's pregnancies"
)
@audited
def family_pregnancies(request: HttpRequest, family_id: int) -> Any:
    family = clinical_scope(request).family(family_id)
    return [pregnancy_out(p) for p in family.pregnancies.order_by("edd", "pk")]


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS}, summary="One person")
@audited
def get_person(request: HttpRequest, person_id: int) -> Any:
    return person_out(clinical_scope(request).person(person_id))


@router.get("/people", response={200: list[PersonOut], **ERRORS}, summary="Find a person by NHS number")
@audited
def find_person(request: HttpRequest, nhs_number: str = Query(..., min_length=10, max_length=10)) -> Any:
    """At most one person; 404 when no one in the caller's scope has that number."""
    scope = clinical_scope(request)
    try:
        NhsNumber(nhs_number)
    except InvalidIdentifier as error:
        raise ValidationError({"nhs_number": str(error)}) from None
    found = scope.people.filter(nhs_number=nhs_number).values_list("pk", flat=True).first()
    if found is None:
        raise HttpError(404, "No person with that NHS number on your caseload")
    return [person_out(scope.person(found))]
