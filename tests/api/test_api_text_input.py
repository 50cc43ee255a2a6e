"""Text the database cannot hold is a field error, not a server error (PostgreSQL refuses NUL characters)."""

from __future__ import annotations

import json

import pytest

from pimh.contacts.models import Contact


@pytest.mark.django_db
def test_a_nul_character_in_a_written_text_is_a_422_naming_the_field(api_client, hv, family_a):
    client = api_client(hv)
    present = [family_a.people.first().pk]
    body = {"contact_type": "additional", "date": "2026-11-02", "present_ids": present, "notes": "seen\x00at home"}
    response = client.post(
        f"/api/v1/families/{family_a.pk}/contacts", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"notes": ["Null characters are not allowed."]}
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_a_nul_character_in_a_query_is_refused(api_client, hv, family_a):
    client = api_client(hv)
    assert client.get("/api/v1/people", {"nhs_number": "999000001\x00"}).status_code == 422
    search = client.get("/fhir/Patient", {"identifier": "https://fhir.nhs.uk/Id/nhs-number|999000001\x00"})
    assert search.status_code == 400 and search.json()["resourceType"] == "OperationOutcome"
