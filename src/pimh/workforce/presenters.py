"""Team lead's weighted caseloads: read the lead's teams through Scope and build pure ``Caseload`` values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from pimh.core.models import CLINICAL_ROLES, User
from pimh.core.recent import recent
from pimh.families.models import Family, Person, PersonRole, PregnancyOutcome
from pimh.families.scope import Scope
from pimh.referrals.states import OPEN as OPEN_REFERRAL_STATES
from pimh.referrals.states import State
from pimh.screening.models import FlagStatus
from pimh.workforce.caseload import (
    DEPRIVED_DECILES,
    CaseloadRow,
    Totals,
    Weights,
    child_weight_expression,
    family_extra_expression,
    five_years_before,
    summarise_totals,
    weight_expression,
)

# Services whose open referral means the family has PIMH need (the referrals app's service kinds).
PIMH_SERVICE_KINDS = (
    "talking_therapies",
    "perinatal_mh_team",
    "mother_baby_unit",
    "parent_infant_team",
    "specialist_hv",
)


def team_practitioners(scope: Scope) -> list[User]:
    return list(
        User.objects.filter(teams__id__in=scope.team_ids, role__in=CLINICAL_ROLES, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def _need_and_expecting(scope: Scope, today: dt.date, weights: Weights) -> tuple[Q, Q]:
    """Conditions on a family: open PIMH need, and an ongoing pregnancy (each a key set the database builds once)."""
    since = today - dt.timedelta(weeks=weights.recent_screen_weeks)
    # Screens recorded on or after ``since`` in local time, as a range on the indexed timestamp.
    since_start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    flags = scope.flags.filter(status=FlagStatus.OPEN)
    referrals = scope.referrals.filter(
        status__in=[str(state) for state in OPEN_REFERRAL_STATES - {State.DRAFT}],
        service__kind__in=PIMH_SERVICE_KINDS,
    )
    involvements = scope.involvements.filter(Q(ended__isnull=True) | Q(ended__gt=today))
    screens = scope.screens.filter(positive=True, recorded_at__gte=since_start)
    need = Q()
    for query in (flags, referrals, involvements, screens):
        need |= Q(pk__in=query.order_by().values("family_id"))
    expecting = Q(pk__in=scope.pregnancies.filter(outcome=PregnancyOutcome.ONGOING).order_by().values("family_id"))
    return need, expecting


def _infants(scope: Scope, today: dt.date) -> QuerySet[Person]:
    """Children aged 0-4 on ``today`` (the edge of ``caseload.under_five``)."""
    return scope.people.filter(
        role=PersonRole.INFANT, date_of_birth__gt=five_years_before(today), date_of_birth__lte=today
    ).order_by()


def family_loads(scope: Scope, practitioners: list[User], *, today: dt.date, weights: Weights) -> QuerySet[Family]:
    """The lead's teams' families allocated to ``practitioners``, each annotated with children aged 0-4
    (``children``), ``pimh_need``, ``expecting`` and its ``weight`` (the rule of ``caseload.weight_expression``).
    Weighing one family this way costs a subquery: use it for a page of families, ``sums`` for whole caseloads."""
    infants = (
        _infants(scope, today).filter(family_id=OuterRef("pk")).values("family_id").annotate(n=Count("pk")).values("n")
    )
    need, expecting = _need_and_expecting(scope, today, weights)
    return (
        scope.families.filter(team_id__in=scope.team_ids, allocated_hv__in=[p.pk for p in practitioners])
        .annotate(
            children=Coalesce(Subquery(infants, output_field=IntegerField()), 0),
            pimh_need=ExpressionWrapper(need, output_field=BooleanField()),
            expecting=ExpressionWrapper(expecting, output_field=BooleanField()),
        )
        .annotate(
            weight=weight_expression(
                weights,
                level="service_level",
                safeguarding="safeguarding",
                decile="imd_decile",
                children="children",
                pimh_need="pimh_need",
                expecting="expecting",
            )
        )
    )


def sums_queries(
    scope: Scope,
    loads: QuerySet[Family],
    *,
    today: dt.date,
    weights: Weights,
    practitioner_ids: list[int],
    family_ids: list[int] | None = None,
) -> tuple[QuerySet[Person, dict[str, Any]], QuerySet[Family, dict[str, Any]]]:
    """Two grouped queries (GROUP BY allocated practitioner), each one pass: the children aged 0-4 of the lead's
    teams' families allocated to ``practitioner_ids`` (or only ``family_ids`` of them) with what each child adds
    to the weight, and the families of ``loads`` (the same families) with what each adds once."""
    infants = _infants(scope, today)
    per_child = child_weight_expression(
        weights, level="family__service_level", safeguarding="family__safeguarding", decile="family__imd_decile"
    )
    mine = infants.filter(family__team_id__in=scope.team_ids, family__allocated_hv_id__in=practitioner_ids)
    if family_ids is not None:
        mine = mine.filter(family_id__in=family_ids)
        loads = loads.filter(pk__in=family_ids)
    children = mine.values("family__allocated_hv_id").annotate(
        n=Count("pk"),
        deprived=Count("pk", filter=Q(family__imd_decile__in=sorted(DEPRIVED_DECILES))),
        weighted=Sum(per_child),
    )
    # The families with a child aged 0-4, built once as a key set (not a subquery per family).
    childless = ~Q(pk__in=mine.values("family_id"))
    extra = family_extra_expression(weights, pimh_need="pimh_need", expecting="expecting", childless=childless)
    families = loads.order_by().values("allocated_hv_id").annotate(n=Count("pk"), weighted=Sum(extra))
    return children, families


def sums(
    scope: Scope,
    loads: QuerySet[Family],
    *,
    today: dt.date,
    weights: Weights,
    practitioner_ids: list[int],
    family_ids: list[int] | None = None,
) -> dict[int, Totals]:
    """The ``Totals`` of each practitioner's families (those of ``loads``), added up by the database."""
    children, families = sums_queries(
        scope, loads, today=today, weights=weights, practitioner_ids=practitioner_ids, family_ids=family_ids
    )
    by_child = {r["family__allocated_hv_id"]: r for r in children}
    result = {}
    for r in families:
        c = by_child.get(r["allocated_hv_id"], {"n": 0, "deprived": 0, "weighted": 0.0})
        result[r["allocated_hv_id"]] = Totals(
            r["n"], c["n"], c["deprived"], float(r["weighted"] or 0) + float(c["weighted"] or 0)
        )
    return result


@dataclass(frozen=True)
class TeamCaseloads:
    """Each clinical member of the lead's teams with their caseload's sums (``loads``: the families, annotated)."""

    scope: Scope
    today: dt.date
    weights: Weights
    practitioners: list[User]
    totals: dict[int, Totals]
    loads: QuerySet[Family]
    counted_at: dt.datetime

    def rows(self, totals: dict[int, Totals] | None = None) -> list[CaseloadRow]:
        figures = self.totals if totals is None else totals
        return [
            summarise_totals(p.pk, p.display_name, float(p.wte), figures[p.pk], self.weights)
            for p in self.practitioners
        ]

    def moving(self, source: int, family_ids: list[int]) -> Totals:
        """The sums of these families of ``source`` (only the chosen families are read)."""
        found = sums(
            self.scope,
            self.loads,
            today=self.today,
            weights=self.weights,
            practitioner_ids=[source],
            family_ids=family_ids,
        )
        return found.get(source, Totals())

    def families_of(self, source: int) -> QuerySet[Family]:
        return self.loads.filter(allocated_hv_id=source).order_by("reference", "pk")


def team_caseloads(scope: Scope, *, today: dt.date, weights: Weights) -> TeamCaseloads:
    """One row per clinical member of the lead's teams: the families of those teams allocated to them."""
    practitioners = team_practitioners(scope)
    loads = family_loads(scope, practitioners, today=today, weights=weights)
    ids = [p.pk for p in practitioners]
    # Sums over every family of the team: kept for AGGREGATE_CACHE_SECONDS (core/recent.py).
    key = f"caseload-weights:{sorted(scope.team_ids)}:{ids}:{today}:{weights!r}"
    found, counted_at = recent(key, lambda: sums(scope, loads, today=today, weights=weights, practitioner_ids=ids))
    return TeamCaseloads(
        scope, today, weights, practitioners, {pk: found.get(pk, Totals()) for pk in ids}, loads, counted_at
    )
