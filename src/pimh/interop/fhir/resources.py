"""A family's records as UK Core resources (FHIR R4, UK Core 2.0.0). Django-free: records in, plain dicts out.

The records are read through the caller's Scope by ``pimh.api.fhir``; here they are only objects with the
model's attributes (tested with stand-ins). Mapping (shared/domain/data-standards.md section 4):

=========================  =====================================================================
Our record                 FHIR resource (``meta.profile`` the UK Core profile)
=========================  =====================================================================
person                     Patient (``patient.py``: NHS number + verification status, ethnic category)
relationship to a child    RelatedPerson (``relationship`` v3-RoleCode MTH, FTH, PRN, STPPRN, GRPRN, PRNFOST, FAMMEMB)
family on the caseload     EpisodeOfCare (``type`` the service level; ``period`` open until closed)
contact                    Encounter (``class`` HH home / AMB clinic / VR telephone or video; ``type`` the contact kind)
screen                     QuestionnaireResponse (option positions; item text for public-domain scales only,
                           **never EPDS**) + Observation for the total (SNOMED CT, LOINC where one exists)
referral                   ServiceRequest, its lifecycle in a Task
urgent flag                Flag
=========================  =====================================================================

Our own codes (contact kind, service level, referral reason, flag reason) use code systems named
``urn:pimh-pathway:<name>`` with the display the pages show.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pimh.interop.fhir.patient import NHS_NUMBER_SYSTEM, UK_CORE

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
ROLE_CODES = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
ACT_CODES = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
LOCAL = "urn:pimh-pathway:"
QUESTIONNAIRE = LOCAL + "questionnaire:"
NEVER_ITEM_TEXT = frozenset({"epds"})  # copyright: item numbers and answers only, even with a licensed text pack

RELATIONSHIP = {
    "birth_mother": ("MTH", "mother"),
    "father": ("FTH", "father"),
    "other_parent": ("PRN", "parent"),
    "step_parent": ("STPPRN", "step parent"),
    "grandparent": ("GRPRN", "grandparent"),
    "foster_carer": ("PRNFOST", "foster parent"),
    "other": ("FAMMEMB", "family member"),
}
ENCOUNTER_CLASS = {"HH": "home health", "AMB": "ambulatory", "VR": "virtual"}
ENCOUNTER_STATUS = {"attended": "finished"}  # every other attendance: cancelled (did not attend, cancelled, no access)
SERVICE_REQUEST_STATUS = {
    "draft": "draft",
    "declined": "revoked",
    "withdrawn": "revoked",
    "discharged": "completed",
}  # every other state: active
TASK_STATUS = {
    "draft": "draft",
    "sent": "requested",
    "acknowledged": "received",
    "accepted": "accepted",
    "declined": "rejected",
    "first_appointment_offered": "in-progress",
    "first_appointment_attended": "in-progress",
    "discharged": "completed",
    "withdrawn": "cancelled",
}
PRIORITY = {"routine": "routine", "urgent": "urgent", "emergency": "stat"}


def profile(name: str) -> dict[str, Any]:
    return {"profile": [UK_CORE + "UKCore-" + name]}


def ref(kind: str, pk: Any) -> dict[str, str]:
    return {"reference": f"{kind}/{pk}"}


def local(name: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": LOCAL + name, "code": code, "display": display}], "text": display}


def instant(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def related_person(relationship: Any, adult: Any) -> dict[str, Any]:
    """An adult in relation to one child: ``relationship`` has pk, child_id, kind; ``adult`` is a Person."""
    code, display = RELATIONSHIP.get(relationship.kind, RELATIONSHIP["other"])
    resource: dict[str, Any] = {
        "resourceType": "RelatedPerson",
        "id": str(relationship.pk),
        "meta": profile("RelatedPerson"),
    }
    if adult.nhs_number:
        resource["identifier"] = [{"system": NHS_NUMBER_SYSTEM, "value": adult.nhs_number}]
    resource |= {
        "patient": ref("Patient", relationship.child_id),
        "relationship": [{"coding": [{"system": ROLE_CODES, "code": code, "display": display}]}],
        "name": [{"use": "official", "family": adult.family_name, "given": [adult.given_name]}],
    }
    return resource


def episode_of_care(family: Any, *, patient_id: int, level_label: str) -> dict[str, Any]:
    period = {"start": family.created_at.date().isoformat()}
    if family.closed_on is not None:
        period["end"] = family.closed_on.isoformat()
    return {
        "resourceType": "EpisodeOfCare",
        "id": str(family.pk),
        "meta": profile("EpisodeOfCare"),
        "identifier": [{"system": LOCAL + "family-reference", "value": family.reference}],
        "status": "finished" if family.closed_on is not None else "active",
        "type": [local("service-level", family.service_level, level_label)],
        "patient": ref("Patient", patient_id),
        "period": period,
    }


def encounter_class(mode: str, location: str) -> str:
    if mode in ("telephone", "video"):
        return "VR"
    return "HH" if location == "home" else "AMB"


def encounter(contact: Any, *, patient_id: int, type_label: str) -> dict[str, Any]:
    code = encounter_class(contact.mode, contact.location)
    start = contact.date.isoformat()
    if contact.time is not None:
        start = dt.datetime.combine(contact.date, contact.time).isoformat(timespec="seconds")
    return {
        "resourceType": "Encounter",
        "id": str(contact.pk),
        "meta": profile("Encounter"),
        "status": ENCOUNTER_STATUS.get(contact.attendance, "cancelled"),
        "class": {"system": ACT_CODES, "code": code, "display": ENCOUNTER_CLASS[code]},
        "type": [local("contact-type", contact.contact_type, type_label)],
        "subject": ref("Patient", patient_id),
        "episodeOfCare": [ref("EpisodeOfCare", contact.family_id)],
        "period": {"start": start},
    }


def questionnaire_response(screen: Any, instrument: Any) -> dict[str, Any]:
    """The answers as option positions (0 = first option). Item text only where the instrument ships it
    (public domain): the EPDS instrument holds none, so no EPDS item text can reach a resource."""
    items = []
    for item, position in zip(instrument.items, screen.answers, strict=False):
        entry: dict[str, Any] = {"linkId": str(item.number)}
        if item.text and instrument.code not in NEVER_ITEM_TEXT:
            entry["text"] = item.text
        if position is not None:
            entry["answer"] = [{"valueInteger": position}]
        items.append(entry)
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(screen.pk),
        "meta": profile("QuestionnaireResponse"),
        "questionnaire": f"{QUESTIONNAIRE}{instrument.code}|{screen.instrument_version}",
        "status": "completed",
        "subject": ref("Patient", screen.person_id),
        "authored": instant(screen.recorded_at),
        "item": items,
    }
    if screen.contact_id is not None:
        resource["encounter"] = ref("Encounter", screen.contact_id)
    return resource


def total_observation(screen: Any, instrument: Any) -> dict[str, Any] | None:
    """The total as an Observation ``derivedFrom`` the response; None if the total is not known."""
    if screen.total is None:
        return None
    codings = []
    if instrument.snomed_code:
        codings.append({"system": SNOMED, "code": instrument.snomed_code, "display": instrument.name + " score"})
    if instrument.loinc_code:
        codings.append({"system": LOINC, "code": instrument.loinc_code, "display": instrument.name + " total score"})
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(screen.pk),
        "meta": profile("Observation"),
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": {"coding": codings, "text": instrument.name + " total"},
        "subject": ref("Patient", screen.person_id),
        "effectiveDateTime": instant(screen.recorded_at),
        "valueInteger": screen.total,
        "derivedFrom": [ref("QuestionnaireResponse", screen.pk)],
    }
    if screen.contact_id is not None:
        resource["encounter"] = ref("Encounter", screen.contact_id)
    return resource


def service_request(referral: Any, *, service_label: str, reason_label: str) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "meta": profile("ServiceRequest"),
        "status": SERVICE_REQUEST_STATUS.get(referral.status, "active"),
        "intent": "order",
        "priority": PRIORITY[referral.urgency],
        "code": local("service-kind", referral.service.kind, service_label),
        "subject": ref("Patient", referral.person_id),
        "authoredOn": instant(referral.created_at),
        "performer": [{"display": referral.service.name}],
        "reasonCode": [local("referral-reason", referral.reason_code, reason_label)],
    }


def referral_task(referral: Any, *, status_label: str) -> dict[str, Any]:
    return {
        "resourceType": "Task",
        "id": str(referral.pk),
        "meta": profile("Task"),
        "basedOn": [ref("ServiceRequest", referral.pk)],
        "status": TASK_STATUS[referral.status],
        "businessStatus": local("referral-status", referral.status, status_label),
        "intent": "order",
        "priority": PRIORITY[referral.urgency],
        "focus": ref("ServiceRequest", referral.pk),
        "for": ref("Patient", referral.person_id),
        "authoredOn": instant(referral.created_at),
    }


def flag(urgent: Any, *, reason_label: str) -> dict[str, Any]:
    period = {"start": instant(urgent.raised_at)}
    if urgent.status == "closed" and urgent.action_at is not None:
        period["end"] = instant(urgent.action_at)
    return {
        "resourceType": "Flag",
        "id": str(urgent.pk),
        "meta": profile("Flag"),
        "status": "active" if urgent.status == "open" else "inactive",
        "category": [{"coding": [{"system": FLAG_CATEGORY, "code": "clinical", "display": "Clinical"}]}],
        "code": local("urgent-flag-reason", urgent.reason, reason_label),
        "subject": ref("Patient", urgent.person_id),
        "period": period,
    }


def bundle(resources: list[dict[str, Any]], *, base: str) -> dict[str, Any]:
    """``$everything``: a searchset Bundle of every resource (all ``match``)."""
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [
            {"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r, "search": {"mode": "match"}}
            for r in resources
        ],
    }
