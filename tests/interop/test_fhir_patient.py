"""UK Core Patient: the pure mapping (NHS number verification status, ethnic category) and /fhir/Patient."""

from __future__ import annotations

import datetime as dt

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.patient import Patient

from pimh.core.models import AuditEvent
from pimh.interop.fhir import patient as mapping

TODAY = dt.date(2026, 12, 1)
FHIR_JSON = "application/fhir+json"


def facts(**overrides):
    values = {
        "id": 7,
        "nhs_number": "9990000018",
        "given_name": "Robin",
        "family_name": "Testington",
        "date_of_birth": TODAY - dt.timedelta(days=41),
        "sex": "U",
        "ethnic_category": "A",
        "ethnic_label": "White: British",
        "date_of_death": None,
        "is_infant": True,
    }
    return mapping.PersonFacts(**{**values, **overrides})


def status(resource):
    return resource["identifier"][0]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"]


@pytest.mark.parametrize(
    ("days_old", "is_infant", "code"),
    [(0, True, "08"), (41, True, "08"), (42, True, "02"), (365, True, "02"), (41, False, "02")],
)
def test_nhs_number_verification_status_08_only_for_a_baby_under_six_weeks(days_old, is_infant, code):
    person = facts(date_of_birth=TODAY - dt.timedelta(days=days_old), is_infant=is_infant)
    assert status(mapping.patient(person, today=TODAY)) == code


def test_the_patient_names_the_uk_core_profile_and_parses_as_r4(tmp_path):
    resource = mapping.patient(facts(), today=TODAY)
    assert resource["meta"]["profile"] == ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"]
    assert resource["identifier"][0]["system"] == "https://fhir.nhs.uk/Id/nhs-number"
    ethnic = resource["extension"][0]
    assert ethnic["url"].endswith("Extension-UKCore-EthnicCategory")
    assert ethnic["valueCodeableConcept"]["coding"][0]["code"] == "A"
    parsed = Patient.model_validate(resource)
    assert parsed.birthDate == TODAY - dt.timedelta(days=41)


def test_a_person_without_an_nhs_number_has_no_identifier():
    assert "identifier" not in mapping.patient(facts(nhs_number=None), today=TODAY)


@pytest.mark.django_db
def test_read_a_patient_through_the_scope_audited(api_client, hv, family_a, family_b):
    client = api_client(hv)
    infant = family_a.people.get(role="infant")
    response = client.get(f"/fhir/Patient/{infant.pk}")
    assert response.status_code == 200 and response["Content-Type"] == FHIR_JSON
    assert Patient.model_validate(response.json()).identifier[0].value == infant.nhs_number
    other = family_b.people.get(role="infant")
    refused = client.get(f"/fhir/Patient/{other.pk}")
    assert refused.status_code == 404 and refused.json()["resourceType"] == "OperationOutcome"
    reads = AuditEvent.objects.filter(user=hv, action="read")
    assert list(reads.values_list("object_type", "family_id")) == [("families.Person", family_a.pk)]


@pytest.mark.django_db
def test_search_by_nhs_number(api_client, hv, family_a, family_b):
    client = api_client(hv)
    infant = family_a.people.get(role="infant")
    found = client.get(f"/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{infant.nhs_number}")
    bundle = Bundle.model_validate(found.json())
    assert (bundle.type, bundle.total, bundle.entry[0].resource.id) == ("searchset", 1, str(infant.pk))
    theirs = family_b.people.get(role="infant").nhs_number
    empty = client.get(f"/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{theirs}").json()
    assert empty["total"] == 0
    assert client.get("/fhir/Patient?identifier=urn:other|1").status_code == 400
    assert AuditEvent.objects.filter(user=hv, action="read").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["analyst", "administrator", "colleague_b"])
def test_fhir_reads_are_refused_outside_scope(request, api_client, persona, family_a):
    client = api_client(request.getfixturevalue(persona))
    infant = family_a.people.get(role="infant")
    assert client.get(f"/fhir/Patient/{infant.pk}").status_code in (403, 404)
    search = client.get(f"/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{infant.nhs_number}")
    assert search.status_code == 403 or search.json()["total"] == 0
    assert not AuditEvent.objects.filter(action="read").exists()


@pytest.mark.django_db
def test_fhir_without_a_token_is_401(client, family_a):
    assert client.get(f"/fhir/Patient/{family_a.people.first().pk}").status_code == 401
