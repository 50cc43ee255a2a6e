"""The REST API under /api/v1/ (django-ninja): OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from pimh.api import problems
from pimh.api.auth import BrowserSession, TokenAuth
from pimh.api.routes_families import router as families_router
from pimh.api.routes_work import router as work_router


class PimhAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Error responses are problem details: say so in the document (schemathesis checks it)."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    if int(status) >= 400 and "content" in response:
                        response["content"] = {problems.PROBLEM_TYPE: response["content"]["application/json"]}
        return schema


api = PimhAPI(
    title="PIMH Pathway API",
    version="1",
    description="Families, people, contacts, tasks, screens, referrals and urgent flags, limited to the caller's "
    "teams and audited like the pages. Errors are RFC 9457 problem details. See docs/api.md.",
    auth=[TokenAuth(), BrowserSession()],
    urls_namespace="api-v1",
)
api.add_router("", families_router)
api.add_router("", work_router)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problems.problem(request, 404, str(exc) or "Not found")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problems.problem(request, 401, "Send a valid personal API token: Authorization: Bearer <token>")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problems.problem(request, exc.status_code, str(exc))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problems.problem(request, 403, str(exc) or "Not allowed")


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return problems.problem(request, 422, errors=problems.pydantic_errors(exc.errors))


@api.exception_handler(DjangoValidationError)
def _invalid_data(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return problems.problem(request, 422, errors=problems.field_errors(exc))
