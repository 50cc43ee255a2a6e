"""What the caseload and family templates need, built from scoped querysets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from pimh.core import ages
from pimh.core.recent import recent
from pimh.core.values import InvalidIdentifier, NhsNumber
from pimh.families.models import ADULT_ROLES, Family, Person, PersonRole
from pimh.families.scope import Scope


@dataclass(frozen=True)
class CaseloadRow:
    family: Family
    adults: list[Person]
    children: list[Person]


def with_people(families: QuerySet[Family]) -> QuerySet[Family]:
    """One extra query for all the people of all the families, whatever their number."""
    return families.prefetch_related(
        Prefetch("people", queryset=Person.objects.order_by("role", "date_of_birth", "pk"), to_attr="members")
    )


def children_count(scope: Scope) -> int:
    """How many children are on my caseload: one indexed aggregate (person (family, role)), no rows read.

    It counts the whole caseload (thousands of children for a large one): kept for
    AGGREGATE_CACHE_SECONDS (core/recent.py, hazard H-151); the caseload list itself is read fresh.
    """

    def count() -> int:
        mine = scope.families.filter(allocated_hv=scope.user, closed_on__isnull=True).values("pk")
        return scope.people.filter(family_id__in=mine, role=PersonRole.INFANT).count()  # type: ignore[no-any-return]

    return recent(f"caseload-children:{scope.user.pk}:{sorted(scope.team_ids)}", count)[0]


def search(families: QuerySet[Family], text: str) -> QuerySet[Family]:
    """Families in scope matching a family reference, a name or an NHS number (spaces allowed)."""
    text = text.strip()
    if not text:
        return families
    try:
        number = NhsNumber.parse(text).value
    except InvalidIdentifier:
        number = None
    if number:
        return families.filter(people__nhs_number=number).distinct()
    names = Q()
    for word in text.split():
        names &= Q(people__given_name__icontains=word) | Q(people__family_name__icontains=word)
    return families.filter(Q(reference__iexact=text) | names).distinct()


def caseload_rows(families: QuerySet[Family]) -> list[CaseloadRow]:
    rows = []
    for family in families:
        members: list[Person] = family.members  # type: ignore[attr-defined]
        rows.append(
            CaseloadRow(
                family=family,
                adults=[p for p in members if p.role in ADULT_ROLES],
                children=[p for p in members if p.role == PersonRole.INFANT],
            )
        )
    return rows


def count_children(rows: list[CaseloadRow]) -> int:
    return sum(len(row.children) for row in rows)


def under_five(dob: date | None, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return dob is not None and ages.under(dob, today, months=60)


def open_flag_exists(family_ref: str = "pk") -> Exists:
    """Whether the family (``OuterRef(family_ref)``) has an open urgent flag: a subquery, not a query per row."""
    flags = apps.get_model("screening", "UrgentFlag").objects.filter(family_id=OuterRef(family_ref), status="open")
    return Exists(flags)


def with_risk(families: QuerySet[Family]) -> QuerySet[Family]:
    """Annotate ``has_open_flag`` for the risk tags (safeguarding and interpreter need are fields)."""
    return families.annotate(has_open_flag=open_flag_exists())
