"""A person as a UK Core Patient (FHIR R4, UK Core 2.0.0). Pure: no Django; plain dicts out.

Rules (shared/domain/data-standards.md section 4):
- NHS number: identifier system ``https://fhir.nhs.uk/Id/nhs-number`` with the NHS number verification
  status extension. A baby under six weeks old is ``08`` (trace postponed: not an error); anyone else is
  ``02`` (number present but not traced): the service checks the number's form and check digit, it does
  not trace it against the Personal Demographics Service, so it never claims ``01`` (verified).
- Ethnic category: the UK Core ethnic category extension, NHS Data Dictionary codes (A-S, Z, 99).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

UK_CORE = "https://fhir.hl7.org.uk/StructureDefinition/"
PATIENT_PROFILE = UK_CORE + "UKCore-Patient"
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
VERIFICATION_EXTENSION = UK_CORE + "Extension-UKCore-NHSNumberVerificationStatus"
VERIFICATION_SYSTEM = "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland"
ETHNIC_EXTENSION = UK_CORE + "Extension-UKCore-EthnicCategory"
ETHNIC_SYSTEM = "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland"
SIX_WEEKS = dt.timedelta(weeks=6)

VERIFICATION = {
    "02": "Number present but not traced",
    "08": "Trace postponed (baby under six weeks old)",
}
GENDER = {"F": "female", "M": "male", "I": "other", "U": "unknown"}


@dataclass(frozen=True)
class PersonFacts:
    id: int
    nhs_number: str | None
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    sex: str
    ethnic_category: str
    ethnic_label: str
    date_of_death: dt.date | None
    is_infant: bool


def verification_code(person: PersonFacts, *, today: dt.date) -> str:
    """``08`` for a baby under six weeks old, else ``02`` (see the module docstring)."""
    young = person.date_of_birth is not None and today - person.date_of_birth < SIX_WEEKS
    return "08" if person.is_infant and young else "02"


def patient(person: PersonFacts, *, today: dt.date) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(person.id),
        "meta": {"profile": [PATIENT_PROFILE]},
        "extension": [
            {
                "url": ETHNIC_EXTENSION,
                "valueCodeableConcept": {
                    "coding": [
                        {"system": ETHNIC_SYSTEM, "code": person.ethnic_category, "display": person.ethnic_label}
                    ]
                },
            }
        ],
    }
    if person.nhs_number:
        code = verification_code(person, today=today)
        resource["identifier"] = [
            {
                "extension": [
                    {
                        "url": VERIFICATION_EXTENSION,
                        "valueCodeableConcept": {
                            "coding": [{"system": VERIFICATION_SYSTEM, "code": code, "display": VERIFICATION[code]}]
                        },
                    }
                ],
                "system": NHS_NUMBER_SYSTEM,
                "value": person.nhs_number,
            }
        ]
    resource["name"] = [{"use": "official", "family": person.family_name, "given": [person.given_name]}]
    resource["gender"] = GENDER.get(person.sex, "unknown")
    if person.date_of_birth is not None:
        resource["birthDate"] = person.date_of_birth.isoformat()
    if person.date_of_death is not None:
        resource["deceasedDateTime"] = person.date_of_death.isoformat()
    return resource


def searchset(resources: list[dict[str, Any]], *, base: str) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [
            {"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r, "search": {"mode": "match"}}
            for r in resources
        ],
    }


def operation_outcome(code: str, diagnostics: str) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
    }
