"""``$everything``: the demo's first 50 families as UK Core resources, each checked by outside code
(fhir.resources R4B and @medplum/core) and by our UK Core check; the endpoint's scope and audit."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from pimh.core.models import AuditEvent, Team
from pimh.demo.loader import load_demo
from pimh.families.models import Family
from tests.conftest import make_user
from tests.interop import uk_core

REPO = Path(__file__).resolve().parents[2]
MEDPLUM = Path(__file__).with_name("medplum_validate.mjs")
FAMILIES = 50
UK_CORE = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-"


@pytest.fixture
def demo_resources(db, client, token_for):
    load_demo(seed=3, children=80)
    assert Family.objects.count() >= FAMILIES
    tokens = {team.pk: token_for(make_user(f"fhir{team.pk}", "hv", team)) for team in Team.objects.all()}
    found = []
    for family in Family.objects.order_by("pk")[:FAMILIES]:
        person = family.people.order_by("pk").first()
        response = client.get(
            f"/fhir/Patient/{person.pk}/$everything", HTTP_AUTHORIZATION=f"Bearer {tokens[family.team_id]}"
        )
        assert response.status_code == 200, response.content
        found += [entry["resource"] for entry in response.json()["entry"]]
    return found


def test_the_first_50_demo_families_map_to_every_resource_kind(demo_resources):
    kinds = Counter(r["resourceType"] for r in demo_resources)
    assert set(kinds) == {
        "Patient", "RelatedPerson", "EpisodeOfCare", "Encounter", "QuestionnaireResponse", "Observation",
        "ServiceRequest", "Task", "Flag",
    }  # fmt: skip
    assert kinds["EpisodeOfCare"] == FAMILIES
    assert all(r["meta"]["profile"] == [UK_CORE + r["resourceType"]] for r in demo_resources)


def test_every_resource_parses_with_fhir_resources_r4b(demo_resources):
    parsed = [get_fhir_model_class(r["resourceType"]).model_validate(r) for r in demo_resources]
    assert len(parsed) == len(demo_resources)


def test_every_resource_passes_our_uk_core_check(demo_resources):
    checker = uk_core.checker()
    assert {f"{r['resourceType']}/{r['id']}": checker.check(r) for r in demo_resources if checker.check(r)} == {}


def test_every_resource_passes_medplum_validate_resource(demo_resources, tmp_path):
    node = shutil.which("node")
    assert node is not None
    source = tmp_path / "resources.json"
    source.write_text(json.dumps(demo_resources))
    run = subprocess.run(
        [node, "--experimental-websocket", str(MEDPLUM), str(source)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        timeout=300,
    )
    assert json.loads(run.stdout) == []


def test_medplum_rejects_a_broken_resource(tmp_path):
    """The script really validates: a resource missing a required element fails."""
    source = tmp_path / "broken.json"
    source.write_text(json.dumps([{"resourceType": "Observation", "id": "1", "status": "final"}]))
    run = subprocess.run(
        [shutil.which("node"), "--experimental-websocket", str(MEDPLUM), str(source)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        timeout=300,
    )
    assert json.loads(run.stdout) == [
        {"index": 0, "id": "Observation/1", "errors": ["Observation.code: Missing required property"]}
    ]


def test_each_total_is_an_observation_derived_from_its_response(demo_resources):
    responses = {r["id"] for r in demo_resources if r["resourceType"] == "QuestionnaireResponse"}
    totals = [r for r in demo_resources if r["resourceType"] == "Observation"]
    assert totals
    assert {t["derivedFrom"][0]["reference"].split("/")[1] for t in totals} <= responses
    assert {c["system"] for t in totals for c in t["code"]["coding"]} <= {"http://snomed.info/sct", "http://loinc.org"}


@pytest.mark.django_db
def test_everything_is_scoped_and_audited_once(api_client, hv, family_a, family_b):
    client = api_client(hv)
    infant = family_a.people.get(role="infant")
    response = client.get(f"/fhir/Patient/{infant.pk}/$everything")
    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+json"
    bundle = Bundle.model_validate(response.json())
    patients = {e.resource.id for e in bundle.entry if e.resource.__resource_type__ == "Patient"}
    assert patients == {str(p.pk) for p in family_a.people.all()}
    reads = AuditEvent.objects.filter(user=hv, action="read")
    assert list(reads.values_list("object_type", "family_id")) == [("families.Person", family_a.pk)]
    other = family_b.people.get(role="infant")
    assert client.get(f"/fhir/Patient/{other.pk}/$everything").status_code == 404
    assert reads.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["analyst", "administrator", "colleague_b"])
def test_everything_is_refused_outside_scope(request, api_client, persona, family_a):
    client = api_client(request.getfixturevalue(persona))
    infant = family_a.people.get(role="infant")
    assert client.get(f"/fhir/Patient/{infant.pk}/$everything").status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="read").exists()
