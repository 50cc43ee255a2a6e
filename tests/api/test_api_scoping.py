"""Walk every path of the OpenAPI document as people who must not see team A's records (as tests/test_scoping.py)."""

from __future__ import annotations

import json
import re

import pytest

from pimh.core.models import AuditEvent
from tests.test_scoping import team_a_records  # noqa: F401 (a fixture)

# Which of team A's records fills each path parameter. A new parameter must be added here.
PARAM_SOURCE = {"family_id": "family", "person_id": "person", "screen_id": "screen", "referral_id": "referral"}
# Lists of the caller's own caseload or work (like the caseload and worklist pages): no per-family read.
LISTS = {"/api/v1/families", "/api/v1/tasks", "/api/v1/flags"}


def _bodies(records):
    """A well-formed body for each write, so that only the scope can refuse it. A new write must be added here."""
    mother = records["family"].people.get(role="birthing_parent").pk
    return {
        "/api/v1/families/{family_id}/contacts": {"contact_type": "additional", "date": "2026-01-05"},
        "/api/v1/families/{family_id}/screens": {"person_id": mother, "instrument": "phq9", "answers": [0] * 9},
        "/api/v1/families/{family_id}/referrals": {
            "person_id": mother,
            "service_id": records["referral"].service_id,
            "urgency": "routine",
            "reason_code": "depression",
        },
    }


@pytest.fixture
def openapi_paths(client):
    return client.get("/api/v1/openapi.json").json()["paths"]


def _urls(paths, records):
    urls = {}
    for path, operations in paths.items():
        names = re.findall(r"{(\w+)}", path)
        assert set(names) <= set(PARAM_SOURCE), f"{path}: add its parameters to PARAM_SOURCE"
        url = path
        for name in names:
            url = url.replace("{" + name + "}", str(records[PARAM_SOURCE[name]].pk))
        if path == "/api/v1/people":
            url += f"?nhs_number={records['person'].nhs_number}"
        urls[path] = (url, set(operations))
    return urls


def _bearer(user):
    from pimh.core import tokens as services

    return {"HTTP_AUTHORIZATION": f"Bearer {services.create_token(by=user, name='walk', days=1)[1]}"}


@pytest.mark.parametrize("persona", ["colleague_b", "analyst", "outsider", "administrator"])
def test_every_api_path_is_refused_outside_scope(request, client, persona, team_a_records, openapi_paths):  # noqa: F811
    user = request.getfixturevalue(persona)
    auth = _bearer(user)
    urls = _urls(openapi_paths, team_a_records)
    assert len(urls) == len(openapi_paths) >= 15
    bodies = _bodies(team_a_records)
    assert set(bodies) == {path for path, (_, methods) in urls.items() if "post" in methods}
    for path, (url, _) in urls.items():
        get = client.get(url, **auth)
        post = (
            client.post(url, json.dumps(bodies[path]), content_type="application/json", **auth)
            if path in bodies
            else None
        )
        if path in LISTS and get.status_code == 200:
            assert get.json()["count"] == 0, path  # nothing of team A's
        else:
            assert get.status_code in (403, 404), (path, get.status_code)
        assert post is None or post.status_code in (403, 404), (path, post.status_code)
    assert not AuditEvent.objects.filter(user=user, action="read").exists()
    assert not AuditEvent.objects.filter(user=user, action="create").exclude(object_type="core.ApiToken").exists()


def test_every_api_path_opens_for_the_family_team_with_one_read_each(client, hv, team_a_records, openapi_paths):  # noqa: F811
    auth = _bearer(hv)
    for path, (url, _) in _urls(openapi_paths, team_a_records).items():
        before = AuditEvent.objects.filter(user=hv, action="read").count()
        response = client.get(url, **auth)
        events = list(AuditEvent.objects.filter(user=hv, action="read").order_by("id")[before:])
        assert response.status_code == 200, (path, response.content)
        expected = [] if path in LISTS else [(team_a_records["family"].pk, False)]
        assert [(e.family_id, e.detail.get("break_glass", False)) for e in events] == expected, path


def test_break_glass_reads_through_the_api_are_marked(client, colleague_b, team_a_records, openapi_paths):  # noqa: F811
    from pimh.families import services

    services.grant_break_glass(by=colleague_b, family=team_a_records["family"], reason="Urgent safeguarding call")
    auth = _bearer(colleague_b)
    url = f"/api/v1/families/{team_a_records['family'].pk}/screens"
    assert client.get(url, **auth).status_code == 200
    event = AuditEvent.objects.filter(user=colleague_b, action="read").get()
    assert event.detail == {"break_glass": True}


def test_every_audited_api_view_is_declared(openapi_paths):
    from pimh.api.main import api

    views = {
        path: op.view_func
        for router_prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for op in path_view.operations
    }
    undeclared = [p for p, v in views.items() if "{" in p and not getattr(v, "audits_reads", False)]
    assert undeclared == []


# ---- FHIR (/fhir/, not in the OpenAPI document): every route, walked the same way ------------------------
def _fhir_routes():
    from pimh.api.fhir import fhir_api

    return {
        (path, method)
        for _, router in fhir_api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
        for method in operation.methods
    }


def _team_a_bundle(records):
    """Team A's infant and birthing parent as a Bundle, as another system might send them."""
    from django.utils import timezone

    from pimh.interop.fhir import patient as patients
    from pimh.interop.fhir.family import person_facts

    family = records["family"]
    infant, mother = family.people.get(role="infant"), family.people.get(role="birthing_parent")
    related = {
        "resourceType": "RelatedPerson",
        "id": "mother",
        "patient": {"reference": f"Patient/{infant.pk}"},
        "identifier": [{"system": patients.NHS_NUMBER_SYSTEM, "value": mother.nhs_number}],
        "relationship": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "MTH"}]}],
        "name": [{"family": mother.family_name, "given": [mother.given_name]}],
        "birthDate": mother.date_of_birth.isoformat(),
    }
    patient = patients.patient(person_facts(infant), today=timezone.localdate())
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": patient}, {"resource": related}]}


FHIR_URLS = {
    ("/Patient/{patient_id}", "GET"): lambda r: f"/fhir/Patient/{r['person'].pk}",
    ("/Patient/{patient_id}/$everything", "GET"): lambda r: f"/fhir/Patient/{r['person'].pk}/$everything",
    ("/Patient", "GET"): lambda r: (
        f"/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{r['person'].nhs_number}"
    ),
    ("/Bundle", "POST"): lambda r: "/fhir/Bundle",
}


@pytest.mark.parametrize("persona", ["colleague_b", "analyst", "outsider", "administrator"])
def test_every_fhir_route_is_refused_outside_scope(request, client, persona, team_a_records):  # noqa: F811
    from pimh.families.models import Family, Person

    user = request.getfixturevalue(persona)
    auth = _bearer(user)
    assert _fhir_routes() == set(FHIR_URLS), "add the new FHIR route to FHIR_URLS"
    people = Person.objects.count()
    secret = {str(p.pk) for p in team_a_records["family"].people.all()}
    for (path, method), make in FHIR_URLS.items():
        url = make(team_a_records)
        if method == "GET":
            response = client.get(url, **auth)
        else:
            body = json.dumps(_team_a_bundle(team_a_records))
            response = client.post(url, body, content_type="application/fhir+json", **auth)
        if path == "/Patient" and response.status_code == 200:
            assert response.json()["total"] == 0, path
        elif path == "/Bundle" and response.status_code == 422:  # a clinician of another team: already recorded
            text = response.content.decode()
            assert "already recorded" in text and not any(f"Patient/{pk}" in text for pk in secret)
        else:
            assert response.status_code in (403, 404), (path, response.status_code)
    assert (Person.objects.count(), Family.objects.count()) == (people, 1)
    assert (
        not AuditEvent.objects.filter(user=user, action__in=["read", "create"])
        .exclude(object_type="core.ApiToken")
        .exists()
    )


def test_every_fhir_route_opens_for_the_family_team(client, hv, team_a_records):  # noqa: F811
    auth = _bearer(hv)
    for (path, method), make in FHIR_URLS.items():
        if method == "GET":
            assert client.get(make(team_a_records), **auth).status_code == 200, path
    again = client.post(
        "/fhir/Bundle", json.dumps(_team_a_bundle(team_a_records)), content_type="application/fhir+json", **auth
    )
    assert again.status_code == 200  # imported before: the family's own team is told so
