"""Read a FHIR Bundle of Patient and RelatedPerson resources as one family to register. Pure: no Django.

Every problem is reported as ``<FHIR path>: <reason>``, the path from the Bundle
(``Bundle.entry[1].resource.patient.reference``). A bundle with any problem gives no plan.

- Each entry's resource must parse as FHIR R4 (``fhir.resources`` R4B) and pass our UK Core check.
- Only Patient and RelatedPerson resources. Every Patient is a child of the family: a RelatedPerson's
  ``patient`` refers to it (by the entry's ``fullUrl`` or ``Patient/<id>``) within the bundle; every
  RelatedPerson is an adult, its role and relationship from the v3 RoleCode of its ``relationship``.
  The same adult related to two children (one RelatedPerson per child) is one person: same NHS number,
  or same name and date of birth.
- An NHS number appears once in the bundle.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from pimh.interop.fhir.patient import ETHNIC_EXTENSION, NHS_NUMBER_SYSTEM
from pimh.interop.fhir.ukcore import Checker

ROLE_CODES = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
# v3 RoleCode of the adult's relationship to the child -> (our role, our relationship kind).
ADULT_ROLES = {
    "MTH": ("birthing_parent", "birth_mother"),
    "NMTH": ("birthing_parent", "birth_mother"),
    "GESTM": ("birthing_parent", "birth_mother"),
    "FTH": ("father", "father"),
    "NFTH": ("father", "father"),
    "PRN": ("partner", "other_parent"),
    "NPRN": ("partner", "other_parent"),
    "ADOPTP": ("partner", "other_parent"),
    "STPPRN": ("partner", "step_parent"),
    "STPMTH": ("partner", "step_parent"),
    "STPFTH": ("partner", "step_parent"),
    "GRPRN": ("other_carer", "grandparent"),
    "GRMTH": ("other_carer", "grandparent"),
    "GRFTH": ("other_carer", "grandparent"),
    "PRNFOST": ("other_carer", "foster_carer"),
}
OTHER_ADULT = ("other_carer", "other")
ONE_EACH = ("birthing_parent", "father")  # a second of these is recorded as a partner
SEX = {"female": "F", "male": "M", "other": "I", "unknown": "U"}


@dataclass
class PlannedPerson:
    path: str
    role: str
    given_name: str
    family_name: str
    nhs_number: str = ""
    date_of_birth: dt.date | None = None
    sex: str = "U"
    ethnic_category: str = "99"


@dataclass
class Plan:
    adults: list[PlannedPerson] = field(default_factory=list)
    children: list[PlannedPerson] = field(default_factory=list)
    links: list[tuple[int, int, str]] = field(default_factory=list)  # (adult index, child index, kind)

    @property
    def people(self) -> list[PlannedPerson]:
        return self.adults + self.children


def _pydantic_path(base: str, location: tuple[Any, ...]) -> str:
    path = base
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def parse_problems(resource: Any, base: str) -> list[str]:
    """Problems found by fhir.resources R4B parsing ``resource`` (paths from ``base``)."""
    kind = resource.get("resourceType") if isinstance(resource, dict) else None
    try:
        model = get_fhir_model_class(str(kind))
    except KeyError:
        return [f"{base}.resourceType: {kind!r} is not a FHIR R4 resource type"]
    try:
        model.model_validate(resource)
    except ValidationError as error:
        return [f"{_pydantic_path(base, tuple(e['loc']))}: {e['msg']}" for e in error.errors()]
    return []


def _name(resource: dict[str, Any]) -> tuple[str, str]:
    names = resource.get("name") or [{}]
    official = next((n for n in names if n.get("use") == "official"), names[0])
    given = official.get("given") or [""]
    return str(given[0]), str(official.get("family", ""))


def _person(
    resource: dict[str, Any], path: str, role: str, ethnic_codes: frozenset[str]
) -> tuple[PlannedPerson, list[str]]:
    problems: list[str] = []
    given, family = _name(resource)
    person = PlannedPerson(path=path, role=role, given_name=given, family_name=family)
    if not given or not family:
        problems.append(f"{path}.name: a family name and a given name are needed")
    for identifier in resource.get("identifier", []):
        if identifier.get("system") == NHS_NUMBER_SYSTEM:
            person.nhs_number = str(identifier.get("value", ""))
    if resource.get("birthDate"):
        try:
            person.date_of_birth = dt.date.fromisoformat(resource["birthDate"])
        except ValueError:
            problems.append(f"{path}.birthDate: a full date (YYYY-MM-DD) is needed")
    person.sex = SEX.get(str(resource.get("gender", "unknown")), "U")
    for i, extension in enumerate(resource.get("extension", [])):
        if extension.get("url") == ETHNIC_EXTENSION:
            codings = extension.get("valueCodeableConcept", {}).get("coding", [])
            code = str(codings[0].get("code", "")) if codings else ""
            if code in ethnic_codes:
                person.ethnic_category = code
            else:
                problems.append(f"{path}.extension[{i}]: ethnic category {code!r} is not an NHS Data Dictionary code")
    return person, problems


def _relationship(resource: dict[str, Any]) -> tuple[str, str]:
    for concept in resource.get("relationship", []):
        for coding in concept.get("coding", []):
            if coding.get("system") == ROLE_CODES and coding.get("code") in ADULT_ROLES:
                return ADULT_ROLES[coding["code"]]
    return OTHER_ADULT


def read_bundle(bundle: Any, checker: Checker, *, ethnic_codes: frozenset[str]) -> tuple[Plan | None, list[str]]:
    """The family in ``bundle`` and no problems, or None and every problem found."""
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        return None, ["Bundle: the file is not a FHIR Bundle (resourceType 'Bundle')"]
    given = bundle.get("entry")
    entries: list[Any] = given if isinstance(given, list) else []
    shell = [{k: v for k, v in e.items() if k != "resource"} if isinstance(e, dict) else e for e in entries]
    problems = parse_problems({**bundle, "entry": shell}, "Bundle")  # each resource is parsed below
    patients: dict[str, int] = {}
    resources: list[tuple[str, dict[str, Any]]] = []
    for i, entry in enumerate(entries):
        path = f"Bundle.entry[{i}].resource"
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            problems.append(f"{path}: missing")
            continue
        kind = resource.get("resourceType")
        if kind not in ("Patient", "RelatedPerson"):
            problems.append(f"{path}.resourceType: {kind!r}: only Patient and RelatedPerson resources are imported")
            continue
        found = parse_problems(resource, path)
        found += [f"{path}{p.removeprefix(str(kind))}" for p in checker.check(resource)]
        problems += found
        if found:
            continue
        resources.append((path, resource))
        if kind == "Patient":
            index = sum(1 for _, r in resources if r["resourceType"] == "Patient") - 1
            for key in (entry.get("fullUrl"), f"Patient/{resource.get('id')}"):
                if key:
                    patients[str(key)] = index
    plan = Plan()
    child_of = patients
    for path, resource in resources:
        if resource["resourceType"] == "Patient":
            child, found = _person(resource, path, "infant", ethnic_codes)
            problems += found
            plan.children.append(child)
    seen_adults: dict[tuple[str, ...], int] = {}
    for path, resource in resources:
        if resource["resourceType"] != "RelatedPerson":
            continue
        reference = str(resource.get("patient", {}).get("reference", ""))
        if reference not in child_of:
            problems.append(f"{path}.patient.reference: {reference!r} is not a Patient in this bundle")
            continue
        role, kind = _relationship(resource)
        adult, found = _person(resource, path, role, ethnic_codes)
        problems += found
        key = (
            (adult.nhs_number,)
            if adult.nhs_number
            else (adult.given_name.lower(), adult.family_name.lower(), str(adult.date_of_birth))
        )
        if key not in seen_adults:
            if role in ONE_EACH and any(a.role == role for a in plan.adults):
                adult.role = "partner"
            seen_adults[key] = len(plan.adults)
            plan.adults.append(adult)
        plan.links.append((seen_adults[key], child_of[reference], kind))
    if resources and not plan.children:
        problems.append("Bundle.entry: no Patient: a family needs at least one child (a Patient)")
    if plan.children and not plan.adults:
        problems.append("Bundle.entry: no RelatedPerson: a family needs a parent or carer related to the child")
    linked = {child for _, child, _ in plan.links}
    for index, child in enumerate(plan.children):
        if plan.adults and index not in linked:
            problems.append(f"{child.path}: no RelatedPerson in the bundle refers to this Patient")
    numbers: dict[str, str] = {}
    for person in plan.people:
        if person.nhs_number and person.nhs_number in numbers:
            problems.append(f"{person.path}.identifier: NHS number also given at {numbers[person.nhs_number]}")
        numbers.setdefault(person.nhs_number, person.path)
    if not entries:
        problems.append("Bundle.entry: the bundle is empty")
    return (None, problems) if problems else (plan, [])
