"""FHIR R4 (UK Core) reads under /fhir/: the same tokens, Scope and read audit as /api/v1/ (docs/api.md)."""

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError

from pimh.api.audited import audited, clinical_scope
from pimh.api.auth import BrowserSession, TokenAuth
from pimh.families.models import Person
from pimh.interop.fhir import importer, resources
from pimh.interop.fhir import patient as mapping
from pimh.interop.fhir.family import family_resources, person_facts

FHIR_JSON = "application/fhir+json"

fhir_api = NinjaAPI(
    title="PIMH Pathway FHIR R4",
    version="r4",
    auth=[TokenAuth(), BrowserSession()],
    urls_namespace="fhir",
    openapi_url=None,
    docs_url=None,
)


def fhir_response(body: dict[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(body), status=status, content_type=FHIR_JSON)


facts = person_facts


@fhir_api.get("/Patient/{patient_id}", include_in_schema=False)
@audited
def read_patient(request: HttpRequest, patient_id: int) -> HttpResponse:
    person = clinical_scope(request).person(patient_id)
    return fhir_response(mapping.patient(facts(person), today=timezone.localdate()))


@fhir_api.get("/Patient/{patient_id}/$everything", include_in_schema=False)
@audited
def everything(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The patient's whole family as a searchset Bundle: one read audit event (the patient opened)."""
    scope = clinical_scope(request)
    person = scope.person(patient_id)
    found = family_resources(scope, person.family, today=timezone.localdate())
    return fhir_response(resources.bundle(found, base=fhir_base(request)))


def fhir_base(request: HttpRequest) -> str:
    return str(request.build_absolute_uri("/fhir")).rstrip("/")


@fhir_api.get("/Patient", include_in_schema=False)
def search_patient(request: HttpRequest, identifier: str = "") -> HttpResponse:
    """``identifier=https://fhir.nhs.uk/Id/nhs-number|<number>``: a searchset of at most one Patient."""
    scope = clinical_scope(request)
    system, _, value = identifier.partition("|")
    if system != mapping.NHS_NUMBER_SYSTEM or not (value.isascii() and value.isdigit() and len(value) == 10):
        diagnostics = f"Search by identifier={mapping.NHS_NUMBER_SYSTEM}|<NHS number>"
        return fhir_response(mapping.operation_outcome("invalid", diagnostics), 400)
    found = scope.people.filter(nhs_number=value).values_list("pk", flat=True).first()
    base = request.build_absolute_uri("/fhir").rstrip("/")
    if found is None:
        return fhir_response(mapping.searchset([], base=base))
    return _one_match(request, found, base)


@audited
def _one_match(request: HttpRequest, pk: int, base: str) -> HttpResponse:
    person = scope_person(request, pk)
    return fhir_response(mapping.searchset([mapping.patient(facts(person), today=timezone.localdate())], base=base))


def scope_person(request: HttpRequest, pk: int) -> Person:
    return clinical_scope(request).person(pk)


@fhir_api.post("/Bundle", include_in_schema=False)
def import_bundle(request: HttpRequest) -> HttpResponse:
    """Register a family from a Bundle of Patient and RelatedPerson resources (docs/api.md): 201, or 200 if
    imported before; 422 with an OperationOutcome listing every problem (nothing saved)."""
    scope = clinical_scope(request)
    team = request.user.teams.order_by("name").first()  # type: ignore[union-attr]
    if team is None:
        return fhir_response(mapping.operation_outcome("forbidden", "You are not a member of a team"), 403)
    try:
        bundle = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return fhir_response(mapping.operation_outcome("structure", "The body is not JSON"), 400)
    hv = request.user if request.user.teams.filter(pk=team.pk).exists() and request.user.role == "hv" else None  # type: ignore[union-attr]
    try:
        imported = importer.import_bundle(
            bundle,
            by=request.user,  # type: ignore[arg-type]
            team=team,
            allocated_hv=hv,  # type: ignore[arg-type]
            scope=scope,
        )
    except importer.ImportProblems as error:
        return fhir_response(problems_outcome(error.problems), 422)
    except importer.ImportRefused as error:
        return fhir_response(mapping.operation_outcome("exception", str(error)), 503)
    status = "201 Created" if imported.created else "200 OK"
    body = {
        "resourceType": "Bundle",
        "type": "transaction-response",
        "entry": [{"response": {"status": status, "location": f"Patient/{p.pk}"}} for p in imported.people],
    }
    return fhir_response(body, 201 if imported.created else 200)


def problems_outcome(problems: list[str]) -> dict[str, Any]:
    issues = []
    for problem in problems:
        path, _, reason = problem.partition(": ")
        issues.append({"severity": "error", "code": "invalid", "diagnostics": reason, "expression": [path]})
    return {"resourceType": "OperationOutcome", "issue": issues}


@fhir_api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return fhir_response(mapping.operation_outcome("not-found", "No such resource"), 404)


@fhir_api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = fhir_response(mapping.operation_outcome("login", "Send a personal API token as a Bearer token"), 401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@fhir_api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return fhir_response(mapping.operation_outcome("forbidden", str(exc)), exc.status_code)
