"""The pure mapping of records to UK Core resources (pimh.interop.fhir.resources), with stand-in records."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from pimh.interop.fhir import resources
from pimh.screening import instruments
from tests.interop import uk_core

AT = dt.datetime(2026, 11, 3, 10, 30, tzinfo=dt.UTC)


def screen(code, answers, total):
    return SimpleNamespace(
        pk=5, person_id=2, contact_id=9, instrument=code, instrument_version="1", answers=answers, total=total,
        recorded_at=AT,
    )  # fmt: skip


def test_an_epds_response_holds_item_numbers_and_positions_never_text():
    epds = instruments.get("epds")
    answers = [0, 1, 2, 3, None, 0, 1, 2, 3, 0]
    response = resources.questionnaire_response(screen("epds", answers, None), epds)
    assert response["item"][0] == {"linkId": "1", "answer": [{"valueInteger": 0}]}
    assert response["item"][4] == {"linkId": "5"}
    assert [set(item) - {"linkId", "answer"} for item in response["item"]] == [set()] * 10
    QuestionnaireResponse.model_validate(response)
    assert uk_core.checker().check(response) == []


def test_epds_never_carries_text_even_if_an_instrument_held_some():
    licensed = SimpleNamespace(code="epds", items=[instruments.Item(number=1, text="licensed text")])
    response = resources.questionnaire_response(screen("epds", [1], None), licensed)
    assert response["item"] == [{"linkId": "1", "answer": [{"valueInteger": 1}]}]


def test_a_phq9_response_may_carry_its_public_domain_item_text():
    phq9 = instruments.get("phq9")
    response = resources.questionnaire_response(screen("phq9", [1] * 9, 9), phq9)
    assert response["item"][0]["text"] == phq9.items[0].text


@pytest.mark.parametrize(
    ("code", "codings"),
    [
        ("epds", [("http://snomed.info/sct", "450320001")]),
        ("phq9", [("http://snomed.info/sct", "720433000"), ("http://loinc.org", "44261-6")]),
        ("gad7", [("http://snomed.info/sct", "445455005"), ("http://loinc.org", "70274-6")]),
    ],
)
def test_the_total_is_an_observation_with_the_published_codes(code, codings):
    instrument = instruments.get(code)
    total = resources.total_observation(screen(code, [], 12), instrument)
    assert [(c["system"], c["code"]) for c in total["code"]["coding"]] == codings
    assert total["valueInteger"] == 12 and total["derivedFrom"] == [{"reference": "QuestionnaireResponse/5"}]
    Observation.model_validate(total)
    assert uk_core.checker().check(total) == []


def test_no_total_no_observation():
    assert resources.total_observation(screen("epds", [None] * 10, None), instruments.get("epds")) is None


@pytest.mark.parametrize(
    ("mode", "location", "code"),
    [("face_to_face", "home", "HH"), ("face_to_face", "clinic", "AMB"), ("telephone", "home", "VR"),
     ("video", "clinic", "VR"), ("face_to_face", "other", "AMB")],
)  # fmt: skip
def test_the_encounter_class_follows_mode_then_location(mode, location, code):
    assert resources.encounter_class(mode, location) == code


@pytest.mark.parametrize(("kind", "code"), [("birth_mother", "MTH"), ("father", "FTH"), ("foster_carer", "PRNFOST")])
def test_related_person_relationship_codes(kind, code):
    relationship = SimpleNamespace(pk=1, child_id=3, kind=kind)
    adult = SimpleNamespace(nhs_number=None, given_name="A", family_name="B")
    related = resources.related_person(relationship, adult)
    assert related["relationship"][0]["coding"][0]["code"] == code
    assert related["patient"] == {"reference": "Patient/3"}
