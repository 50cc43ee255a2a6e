"""Register a family from a FHIR Bundle (``pimh fhir import``, ``POST /fhir/Bundle``) through the families services.

Checked first (``reading.read_bundle``: fhir.resources R4B, our UK Core check, the bundle's shape; then each
person with the services' own rules): any problem and nothing is saved, every problem reported with its FHIR
path. Idempotent on NHS number: a bundle whose people with NHS numbers are all already recorded, in one
family, with the same family names and dates of birth, is reported as imported before and changes nothing.
An NHS number already recorded for someone with another name or date of birth is a problem (a wrong match),
never a merge.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from pimh.core.models import Team, User
from pimh.families import services
from pimh.families.models import EthnicCategory, Family, Person
from pimh.families.scope import Scope
from pimh.interop.fhir import reading
from pimh.interop.fhir.ukcore import Checker, find_folder

FIELD_PATHS = {
    "nhs_number": "identifier",
    "given_name": "name",
    "family_name": "name",
    "date_of_birth": "birthDate",
    "sex": "gender",
    "ethnic_category": "extension",
    "role": "relationship",
}


class ImportProblems(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class ImportRefused(Exception):
    """The import cannot run at all (no UK Core profiles found)."""


@dataclass(frozen=True)
class Imported:
    family: Family
    people: list[Person]
    created: bool


@functools.cache
def uk_core_checker() -> Checker:
    folder = find_folder(settings.BASE_DIR, settings.UK_CORE_DIR)
    if folder is None:
        raise ImportRefused("the UK Core profiles were not found: set UK_CORE_DIR (docs/configuration.md)")
    return Checker.from_folder(folder)


def _data(person: reading.PlannedPerson) -> services.PersonData:
    fields = {k: v for k, v in asdict(person).items() if k != "path"}
    return services.PersonData(**fields)


def _same(recorded: Person, planned: reading.PlannedPerson) -> bool:
    births = recorded.date_of_birth is None or planned.date_of_birth in (None, recorded.date_of_birth)
    return recorded.family_name.casefold() == planned.family_name.casefold() and births


def _imported_before(plan: reading.Plan, visible: QuerySet[Family] | None) -> Imported | None:
    numbered = [p for p in plan.people if p.nhs_number]
    recorded = {p.nhs_number: p for p in Person.objects.filter(nhs_number__in=[p.nhs_number for p in numbered])}
    if not recorded:
        return None
    wrong = [
        f"{p.path}.identifier: this NHS number is already recorded for a person with another family name or "
        "date of birth: check the bundle (nothing was matched or merged)"
        for p in numbered
        if p.nhs_number in recorded and not _same(recorded[p.nhs_number], p)
    ]
    if wrong:
        raise ImportProblems(wrong)
    families = {person.family_id for person in recorded.values()}
    outside = visible is not None and visible.filter(pk__in=families).count() < len(families)
    if len(recorded) == len(numbered) and len(families) == 1 and not outside:
        family = Family.objects.get(pk=families.pop())
        return Imported(family=family, people=[recorded[p.nhs_number] for p in numbered], created=False)
    return None  # some recorded, some not, or not the caller's: check_person reports each recorded one


def _check_people(plan: reading.Plan) -> list[str]:
    problems = []
    for person in plan.people:
        try:
            services.check_person(_data(person))
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                where = FIELD_PATHS.get(name)
                problems += [f"{person.path}{'.' + where if where else ''}: {m}" for m in messages]
    return problems


def import_bundle(
    bundle: Any, *, by: User | None, team: Team, allocated_hv: User | None = None, scope: Scope | None = None
) -> Imported:
    """Register the bundle's family in ``team``; ImportProblems (nothing saved) listing every problem.

    ``scope``: the caller's (API). A family imported before is answered as such only if it is in the scope;
    otherwise its NHS numbers are reported as already recorded, as the registration form does, and no record
    of another team's family is named.
    """
    plan, problems = reading.read_bundle(bundle, uk_core_checker(), ethnic_codes=frozenset(EthnicCategory.values))
    if plan is None:
        raise ImportProblems(problems)
    before = _imported_before(plan, None if scope is None else scope.families)
    if before is not None:
        return before
    problems = _check_people(plan)
    if problems:
        raise ImportProblems(problems)
    order = sorted(range(len(plan.adults)), key=lambda i: plan.adults[i].role != "birthing_parent")
    try:
        with transaction.atomic():
            family = services.register_family(
                by=by,  # type: ignore[arg-type]
                team=team,
                allocated_hv=allocated_hv,
                details=services.FamilyDetails(),
                parent=_data(plan.adults[order[0]]),
                second_parent=_data(plan.adults[order[1]]) if len(order) > 1 else None,
            )
            registered = list(family.people.order_by("pk"))
            adults = {order[0]: registered[0]}
            if len(order) > 1:
                adults[order[1]] = registered[1]
            for index in order[2:]:
                adults[index] = services.add_person(by=by, family=family, data=_data(plan.adults[index]))  # type: ignore[arg-type]
            children = []
            for index, child in enumerate(plan.children):
                links = {adults[a].pk: kind for a, c, kind in plan.links if c == index}
                children.append(services.add_person(by=by, family=family, data=_data(child), relationships=links))  # type: ignore[arg-type]
    except ValidationError as error:
        raise ImportProblems([f"Bundle: {m}" for m in error.messages]) from None
    return Imported(family=family, people=[*adults.values(), *children], created=True)
