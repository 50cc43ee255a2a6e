"""A real FHIR client reads us: the SMART ``fhirclient`` library against the live test server, with a token."""

from __future__ import annotations

import pytest
from fhirclient import client as smart
from fhirclient.models.patient import Patient
from fhirclient.server import FHIRNotFoundException

from pimh.core import tokens
from pimh.core.models import AuditEvent

NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
pytestmark = pytest.mark.django_db(transaction=True)


def connect(live_server, user):
    fhir = smart.FHIRClient(settings={"app_id": "pimh-test", "api_base": f"{live_server.url}/fhir/"})
    token = tokens.create_token(by=user, name="fhirclient", days=1)[1]
    fhir.server.session.headers["Authorization"] = f"Bearer {token}"
    return fhir.server


def test_fhirclient_reads_a_patient_and_searches_by_nhs_number(live_server, hv, family_a, family_b):
    server = connect(live_server, hv)
    infant = family_a.people.get(role="infant")
    patient = Patient.read(str(infant.pk), server)
    assert patient.identifier[0].system == NHS_NUMBER and patient.identifier[0].value == infant.nhs_number
    assert patient.meta.profile == ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"]
    found = Patient.where(struct={"identifier": f"{NHS_NUMBER}|{infant.nhs_number}"}).perform_resources_iter(server)
    assert [p.id for p in found] == [str(infant.pk)]
    theirs = family_b.people.get(role="infant")
    with pytest.raises(FHIRNotFoundException):
        Patient.read(str(theirs.pk), server)
    assert AuditEvent.objects.filter(user=hv, action="read").count() == 2
