"""FHIR import: the UK Core examples register a family; a bad bundle saves nothing and reports every problem."""

from __future__ import annotations

import copy
import json

import pytest

from pimh.cli import main
from pimh.core.models import AuditEvent
from pimh.families.models import Family, Person, Relationship
from pimh.interop.fhir import importer, reading
from tests.interop import uk_core

BABY = "UKCore-Patient-BabyPatient-Example"
JOY = "UKCore-RelatedPerson-JoySmith-Example"
ENVIRON = {"DJANGO_SETTINGS_MODULE": "tests.settings"}


VALID_TEST_NUMBER = "9990000018"  # passes the modulus 11 check


def examples_bundle(nhs_number=VALID_TEST_NUMBER):
    """The two published examples, unchanged but for two things. Joy Smith's ``patient``: the published
    example names Richard Smith, who is not in the bundle; here she is related to the baby, the bundle's one
    Patient. The baby's NHS number: the published 9912003890 fails the NHS number check digit, which the
    services refuse (see test_the_published_baby_nhs_number_fails_the_check_digit)."""
    baby, joy = copy.deepcopy(uk_core.example(BABY)), copy.deepcopy(uk_core.example(JOY))
    baby["identifier"][0]["value"] = nhs_number
    joy["patient"] = {"reference": f"Patient/{baby['id']}"}
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": f"urn:uuid:{i}", "resource": r} for i, r in enumerate([baby, joy])],
    }


def bad_bundle():
    bundle = examples_bundle()
    baby, joy = bundle["entry"][0]["resource"], bundle["entry"][1]["resource"]
    del baby["identifier"][0]["value"]  # UK Core: an NHS number identifier has a value
    baby["birthDate"] = "2021-02-30"  # not a date (fhir.resources)
    joy["patient"] = {"reference": "Patient/nobody"}  # not in the bundle
    bundle["entry"].append({"resource": {"resourceType": "Observation", "status": "final"}})
    return bundle


def test_the_bad_bundle_reports_every_problem_with_its_path():
    plan, problems = reading.read_bundle(bad_bundle(), uk_core.checker(), ethnic_codes=frozenset({"A"}))
    assert plan is None
    paths = sorted(p.split(": ")[0] for p in problems)
    assert paths == [
        "Bundle.entry",
        "Bundle.entry[0].resource.birthDate",
        "Bundle.entry[0].resource.identifier[0].value",
        "Bundle.entry[1].resource.patient.reference",
        "Bundle.entry[2].resource.resourceType",
    ]


@pytest.mark.django_db
def test_the_uk_core_examples_import_as_a_family(hv, team_a):
    imported = importer.import_bundle(examples_bundle(), by=hv, team=team_a, allocated_hv=hv)
    assert imported.created
    family = imported.family
    baby = family.people.get(role="infant")
    assert (baby.nhs_number, baby.given_name, baby.family_name, str(baby.date_of_birth), baby.sex) == (
        VALID_TEST_NUMBER, "Melanie", "JONES", "2021-02-11", "F",
    )  # fmt: skip
    assert baby.ethnic_category == "A"
    joy = family.people.get(role="other_carer")
    assert (joy.given_name, joy.family_name, joy.nhs_number) == ("Joy", "SMITH", None)
    assert list(Relationship.objects.values_list("adult", "child", "kind")) == [(joy.pk, baby.pk, "other")]
    assert AuditEvent.objects.filter(action="create", family_id=family.pk).exists()


@pytest.mark.django_db
def test_the_published_baby_nhs_number_fails_the_check_digit(hv, team_a):
    with pytest.raises(importer.ImportProblems) as raised:
        importer.import_bundle(examples_bundle(nhs_number="9912003890"), by=hv, team=team_a)
    assert raised.value.problems == [
        "Bundle.entry[0].resource.identifier: This is not a valid NHS number: check the digits"
    ]
    assert not Family.objects.exists() and not Person.objects.exists()


@pytest.mark.django_db
def test_importing_again_changes_nothing(hv, team_a):
    first = importer.import_bundle(examples_bundle(), by=hv, team=team_a)
    again = importer.import_bundle(examples_bundle(), by=hv, team=team_a)
    assert (again.created, again.family.pk) == (False, first.family.pk)
    assert (Family.objects.count(), Person.objects.count()) == (1, 2)


@pytest.mark.django_db
def test_an_nhs_number_recorded_for_someone_else_is_never_matched(hv, team_a):
    importer.import_bundle(examples_bundle(), by=hv, team=team_a)
    other = examples_bundle()
    other["entry"][0]["resource"]["name"][0]["family"] = "JONES-WRIGHT"
    with pytest.raises(importer.ImportProblems) as raised:
        importer.import_bundle(other, by=hv, team=team_a)
    assert [p.split(": ")[0] for p in raised.value.problems] == ["Bundle.entry[0].resource.identifier"]
    assert (Family.objects.count(), Person.objects.count()) == (1, 2)


@pytest.mark.django_db
def test_a_services_rule_is_reported_on_the_resource_and_nothing_saved(hv, team_a):
    bundle = examples_bundle()
    bundle["entry"][1]["resource"]["relationship"][0]["coding"][0]["code"] = (
        "MTH"  # a birthing parent needs an NHS number
    )
    with pytest.raises(importer.ImportProblems) as raised:
        importer.import_bundle(bundle, by=hv, team=team_a)
    assert "Bundle.entry[1].resource.identifier: Enter the NHS number" in raised.value.problems
    assert not Family.objects.exists() and not Person.objects.exists()


@pytest.mark.django_db
def test_the_cli_imports_and_reports_problems_on_stderr(tmp_path, capsys, team_a):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(examples_bundle()))
    bad.write_text(json.dumps(bad_bundle()))
    assert main(["fhir", "import", str(bad), "--team", team_a.name], ENVIRON) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 6 and err[-1] == f"pimh: error: 5 problems in {bad}: nothing imported"
    assert not Family.objects.exists()
    assert main(["fhir", "import", str(good), "--team", str(team_a.pk)], ENVIRON) == 0
    assert capsys.readouterr().out.startswith("Registered family ")
    assert Family.objects.get().team == team_a


@pytest.mark.django_db
def test_post_bundle_registers_or_answers_an_operation_outcome(api_client, hv, team_a):
    client = api_client(hv)
    refused = client.post("/fhir/Bundle", bad_bundle(), content_type="application/fhir+json")
    assert refused.status_code == 422
    outcome = refused.json()
    assert outcome["resourceType"] == "OperationOutcome" and len(outcome["issue"]) == 5
    assert outcome["issue"][0]["expression"] and not Family.objects.exists()
    created = client.post("/fhir/Bundle", examples_bundle(), content_type="application/fhir+json")
    assert created.status_code == 201
    family = Family.objects.get()
    assert (family.team, family.allocated_hv) == (team_a, hv)
    assert client.post("/fhir/Bundle", examples_bundle(), content_type="application/fhir+json").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["analyst", "administrator"])
def test_post_bundle_is_refused_to_roles_without_families(request, api_client, persona):
    client = api_client(request.getfixturevalue(persona))
    assert client.post("/fhir/Bundle", examples_bundle(), content_type="application/fhir+json").status_code == 403
    assert not Family.objects.exists()
