"""Our UK Core check (pimh.interop.fhir.ukcore) on the published UK Core examples and on broken copies."""

from __future__ import annotations

import copy

import pytest

from pimh.interop.fhir.ukcore import Checker, read_profile
from tests.interop import uk_core

BABY = "UKCore-Patient-BabyPatient-Example"
JOY = "UKCore-RelatedPerson-JoySmith-Example"
USED = ("Patient", "RelatedPerson", "EpisodeOfCare", "Encounter", "QuestionnaireResponse", "Observation",
        "ServiceRequest", "Task", "Flag")  # fmt: skip


def test_the_profiles_we_map_to_are_all_held():
    held = {profile.type for profile in uk_core.checker().profiles.values()}
    assert set(USED) <= held


@pytest.mark.parametrize("name", uk_core.example_names())
def test_every_published_example_passes(name):
    resource = uk_core.example(name)
    assert resource["resourceType"] in USED
    assert uk_core.checker().check(resource) == []


def baby():
    return copy.deepcopy(uk_core.example(BABY))


def test_an_nhs_number_identifier_without_its_value_fails_with_the_path():
    broken = baby()
    del broken["identifier"][0]["value"]
    assert uk_core.checker().check(broken) == [
        "Patient.identifier[0].value: at least 1 required, found 0",
    ]


def test_an_extension_without_its_value_fails():
    broken = baby()
    del broken["extension"][0]["valueCodeableConcept"]
    assert uk_core.checker().check(broken) == ["Patient.extension[0].value[x]: at least 1 required, found 0"]


def test_two_ethnic_categories_exceed_the_maximum():
    broken = baby()
    broken["extension"].append(copy.deepcopy(broken["extension"][0]))
    assert uk_core.checker().check(broken) == ["Patient.extension slice ethnicCategory: at most 1 allowed, found 2"]


def test_a_verification_status_outside_the_required_value_set_fails():
    broken = baby()
    broken["identifier"][0]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] = "99"
    problems = uk_core.checker().check(broken)
    assert problems == [
        "Patient.identifier[0].extension[0].valueCodeableConcept: code not in the required value set "
        "https://fhir.hl7.org.uk/ValueSet/UKCore-NHSNumberVerificationStatus"
    ]


@pytest.mark.parametrize("code", ["01", "02", "08"])
def test_the_verification_codes_we_use_are_in_the_value_set(code):
    fine = baby()
    fine["identifier"][0]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] = code
    assert uk_core.checker().check(fine) == []


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/StructureDefinition/made-up",
        "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-Nope",
    ],
)
def test_an_unknown_extension_url_fails(url):
    broken = copy.deepcopy(uk_core.example(JOY))
    broken.setdefault("extension", []).append({"url": url, "valueString": "x"})
    problems = uk_core.checker().check(broken)
    assert len(problems) == 1
    assert problems[0].startswith(f"RelatedPerson.extension[{len(broken['extension']) - 1}].url: unknown extension")


def test_an_hl7_core_extension_is_allowed():
    fine = baby()
    fine["extension"].append(
        {"url": "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName", "valueString": "x"}
    )
    assert uk_core.checker().check(fine) == []


def test_a_resource_type_we_hold_no_profile_for_is_reported():
    assert uk_core.checker().check({"resourceType": "Medication"}) == [
        "Medication: no UK Core profile held for this resource type"
    ]


FLAG_PROFILE = """<StructureDefinition xmlns="http://hl7.org/fhir">
  <url value="https://example.org/StructureDefinition/TestFlag" />
  <type value="Flag" />
  <differential>
    <element id="Flag"><path value="Flag" /></element>
    <element id="Flag.status"><path value="Flag.status" /><fixedCode value="active" /></element>
    <element id="Flag.code"><path value="Flag.code" />
      <patternCodeableConcept><coding><system value="http://snomed.info/sct" /></coding></patternCodeableConcept>
    </element>
  </differential>
</StructureDefinition>"""


def test_fixed_values_and_patterns_are_read_from_the_profile_and_checked(tmp_path):
    path = tmp_path / "TestFlag.xml"
    path.write_text(FLAG_PROFILE)
    profile = read_profile(path)
    checker = Checker({profile.url: profile}, {}, {})
    flag = copy.deepcopy(uk_core.example("UKCore-Flag-FoodAllergy-Example"))
    flag["meta"] = {"profile": [profile.url]}
    flag["status"] = "active"
    flag["code"] = {"coding": [{"system": "http://snomed.info/sct", "code": "91935009"}]}
    assert checker.check(flag) == []
    flag["status"] = "inactive"
    flag["code"]["coding"][0]["system"] = "http://loinc.org"
    assert checker.check(flag) == [
        "Flag.status: must be exactly 'active'",
        "Flag.code: must match the pattern {coding: {system: 'http://snomed.info/sct'}}",
    ]
