"""The REST API: tokens, reads through the Scope, writes through the services, problem details, audit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from pimh.core.models import AuditEvent

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def reads(user):
    return list(AuditEvent.objects.filter(user=user, action="read").values_list("object_type", "family_id"))


def test_the_openapi_document_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/families/{family_id}/contacts" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr" not in docs and "/static/ninja/" in docs


def test_without_a_token_the_api_answers_401_as_a_problem(client, family_a):
    response = client.get(f"/api/v1/families/{family_a.pk}")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 401


@pytest.mark.parametrize("token", ["pimh_not-a-real-token", "Bearer", "x" * 200])
def test_an_unknown_token_is_refused(client, family_a, token):
    response = client.get("/api/v1/families", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401


def test_a_revoked_or_expired_token_is_refused(client, hv, family_a, token_for):
    from pimh.core import tokens as services
    from pimh.core.models import ApiToken

    plain = token_for(hv)
    assert client.get("/api/v1/families", HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == 200
    services.revoke_token(by=hv, token=ApiToken.objects.get(user=hv))
    assert client.get("/api/v1/families", HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == 401
    later = token_for(hv, days=1)
    ApiToken.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/families", HTTP_AUTHORIZATION=f"Bearer {later}").status_code == 401


def test_the_token_is_stored_only_as_its_digest(hv, token_for):
    from pimh.core.models import ApiToken

    plain = token_for(hv)
    stored = ApiToken.objects.get(user=hv)
    assert plain not in {stored.digest, stored.prefix, stored.name} and len(stored.digest) == 64


def test_the_browser_session_works_too(client, hv, family_a):
    client.force_login(hv)
    assert client.get(f"/api/v1/families/{family_a.pk}").json()["reference"] == family_a.reference


def test_family_list_is_the_callers_caseload_paginated_and_filtered(api_client, hv, team_a, family_a, family_b):
    from tests.conftest import make_family

    make_family(by=hv, team=team_a, allocated_hv=None)
    client = api_client(hv)
    page = client.get("/api/v1/families?limit=1").json()
    assert (page["count"], len(page["items"]), page["limit"]) == (2, 1, 1)
    mine = client.get("/api/v1/families?allocated_to_me=true").json()
    assert [f["id"] for f in mine["items"]] == [family_a.pk]
    assert reads(hv) == []  # a list is like the caseload page: no per-family read


def test_reading_a_family_writes_one_read_event(api_client, hv, family_a):
    client = api_client(hv)
    body = client.get(f"/api/v1/families/{family_a.pk}/people").json()
    assert sorted(p["role"] for p in body) == ["birthing_parent", "father", "infant"]
    assert reads(hv) == [("families.Family", family_a.pk)]


def test_search_by_nhs_number(api_client, hv, family_a, family_b):
    client = api_client(hv)
    mine = family_a.people.get(role="infant")
    theirs = family_b.people.get(role="infant")
    assert client.get(f"/api/v1/people?nhs_number={mine.nhs_number}").json()[0]["id"] == mine.pk
    assert client.get(f"/api/v1/people?nhs_number={theirs.nhs_number}").status_code == 404
    bad = client.get("/api/v1/people?nhs_number=1234567890")
    assert bad.status_code == 422 and "nhs_number" in bad.json()["errors"]
    assert reads(hv) == [("families.Person", family_a.pk)]


def test_create_contact_through_the_service(api_client, hv, family_a):
    client = api_client(hv)
    mother = family_a.people.get(role="birthing_parent")
    body = {"contact_type": "additional", "date": timezone.localdate().isoformat(), "present_ids": [mother.pk]}
    response = client.post(
        f"/api/v1/families/{family_a.pk}/contacts", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["present_ids"] == [mother.pk]
    assert AuditEvent.objects.filter(user=hv, action="create", object_type="contacts.Contact").count() == 1
    assert reads(hv) == []  # a save answered 201 is like a page's redirect


def test_contact_errors_are_the_forms_messages_as_problem_details(api_client, hv, family_a):
    client = api_client(hv)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    body = {"contact_type": "additional", "date": tomorrow}
    response = client.post(
        f"/api/v1/families/{family_a.pk}/contacts", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    errors = response.json()["errors"]
    assert errors["date"] == ["The date of the contact must be today or in the past"]
    assert errors["present_ids"] == ["Record who was present"]
    assert not family_a.contacts.exists()


def test_a_malformed_body_is_a_problem_with_the_field(api_client, hv, family_a):
    client = api_client(hv)
    response = client.post(
        f"/api/v1/families/{family_a.pk}/contacts", json.dumps({"date": "soon"}), content_type="application/json"
    )
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    assert {"contact_type", "date"} <= set(response.json()["errors"])


def test_record_a_screen_scores_it_by_the_service(api_client, hv, family_a):
    client = api_client(hv)
    mother = family_a.people.get(role="birthing_parent")
    body = {"person_id": mother.pk, "instrument": "phq9", "answers": [2] * 9}
    response = client.post(f"/api/v1/families/{family_a.pk}/screens", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    assert (response.json()["total"], response.json()["outcome"]) == (18, "positive")
    wrong = client.post(
        f"/api/v1/families/{family_a.pk}/screens",
        json.dumps({**body, "answers": [2] * 3}),
        content_type="application/json",
    )
    assert wrong.status_code == 422 and "answers" in wrong.json()["errors"]


def test_create_a_referral_draft(api_client, hv, family_a):
    from pimh.referrals.models import Service

    service = Service.objects.create(name="Perinatal team", kind="perinatal_mh_team", sees="parent")
    mother = family_a.people.get(role="birthing_parent")
    body = {"person_id": mother.pk, "service_id": service.pk, "urgency": "routine", "reason_code": "depression"}
    client = api_client(hv)
    response = client.post(
        f"/api/v1/families/{family_a.pk}/referrals", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["status"] == "draft"
    bad = client.post(
        f"/api/v1/families/{family_a.pk}/referrals",
        json.dumps({**body, "urgency": "whenever", "reason_code": "boredom"}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"reason_code"}


def test_my_tasks_are_the_callers_open_tasks(api_client, hv, family_a):
    from pimh.contacts import services as contact_services

    task = contact_services.create_task(
        by=hv,
        family=family_a,
        kind="follow_up",
        title="Follow-up visit",
        due_from=timezone.localdate(),
        due_by=timezone.localdate() + dt.timedelta(days=7),
    )
    page = api_client(hv).get("/api/v1/tasks?kind=follow_up").json()
    assert [t["id"] for t in page["items"]] == [task.pk]
