"""A family's records, read through the caller's Scope, as UK Core resources (``$everything``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pimh.families.models import Family, Person, PersonRole, ServiceLevel
from pimh.families.scope import Scope
from pimh.interop.fhir import patient as patients
from pimh.interop.fhir import resources as fhir
from pimh.screening import instruments


def person_facts(person: Person) -> patients.PersonFacts:
    return patients.PersonFacts(
        id=person.pk,
        nhs_number=person.nhs_number,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        sex=person.sex,
        ethnic_category=person.ethnic_category,
        ethnic_label=person.get_ethnic_category_display(),
        date_of_death=person.date_of_death,
        is_infant=person.is_infant,
    )


def main_patient(people: list[Person]) -> Person:
    """The episode's patient: the first infant, else the birthing parent, else the first person."""
    for role in (PersonRole.INFANT, PersonRole.BIRTHING_PARENT):
        for person in people:
            if person.role == role:
                return person
    return people[0]


def family_resources(scope: Scope, family: Family, *, today: dt.date) -> list[dict[str, Any]]:
    """Every resource of ``family``; the caller has opened one of its records through ``scope`` (the audit)."""
    people = list(scope.people.filter(family=family).order_by("pk"))
    out: list[dict[str, Any]] = [patients.patient(person_facts(p), today=today) for p in people]
    by_pk = {p.pk: p for p in people}
    for relationship in scope.relationships.filter(child__family=family).order_by("pk"):
        out.append(fhir.related_person(relationship, by_pk[relationship.adult_id]))
    main = main_patient(people) if people else None
    if main is None:
        return out
    out.append(fhir.episode_of_care(family, patient_id=main.pk, level_label=ServiceLevel(family.service_level).label))
    for contact in scope.contacts.filter(family=family).order_by("pk"):
        out.append(
            fhir.encounter(
                contact, patient_id=contact.subject_id or main.pk, type_label=contact.get_contact_type_display()
            )
        )
    for screen in scope.screens.filter(family=family).order_by("pk"):
        instrument = instruments.get(screen.instrument)
        out.append(fhir.questionnaire_response(screen, instrument))
        total = fhir.total_observation(screen, instrument)
        if total is not None:
            out.append(total)
    for referral in scope.referrals.filter(family=family).select_related("service").order_by("pk"):
        out.append(
            fhir.service_request(
                referral,
                service_label=referral.service.get_kind_display(),
                reason_label=referral.get_reason_code_display(),
            )
        )
        out.append(fhir.referral_task(referral, status_label=referral.get_status_display()))
    for urgent in scope.flags.filter(family=family).order_by("pk"):
        out.append(fhir.flag(urgent, reason_label=urgent.get_reason_display()))
    return out
