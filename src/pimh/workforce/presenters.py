"""Team lead's weighted caseloads: read the lead's teams through Scope and build pure ``Caseload`` values."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Q, QuerySet
from django.utils import timezone

from pimh.core.models import CLINICAL_ROLES, User
from pimh.families.models import Family, PersonRole, PregnancyOutcome
from pimh.families.scope import Scope
from pimh.referrals.states import OPEN as OPEN_REFERRAL_STATES
from pimh.referrals.states import State
from pimh.screening.models import FlagStatus
from pimh.workforce.caseload import Caseload, FamilyLoad, Weights, under_five

# Services whose open referral means the family has PIMH need (the referrals app's service kinds).
PIMH_SERVICE_KINDS = (
    "talking_therapies",
    "perinatal_mh_team",
    "mother_baby_unit",
    "parent_infant_team",
    "specialist_hv",
)


def team_practitioners(lead: User) -> list[User]:
    team_ids = Scope(lead).team_ids
    return list(
        User.objects.filter(teams__id__in=team_ids, role__in=CLINICAL_ROLES, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def _pimh_need(scope: Scope, family_ids: QuerySet[Family], today: dt.date, weights: Weights) -> set[int]:
    """Families with PIMH need; ``family_ids`` is a query of keys, joined in the database (no list of keys)."""
    since = today - dt.timedelta(weeks=weights.recent_screen_weeks)
    # Screens recorded on or after ``since`` in local time, as a range on the indexed timestamp.
    since_start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    need: set[int] = set()
    need.update(
        scope.flags.filter(family_id__in=family_ids, status=FlagStatus.OPEN).values_list("family_id", flat=True)
    )
    need.update(
        scope.referrals.filter(
            family_id__in=family_ids,
            status__in=[str(state) for state in OPEN_REFERRAL_STATES - {State.DRAFT}],
            service__kind__in=PIMH_SERVICE_KINDS,
        ).values_list("family_id", flat=True)
    )
    need.update(
        scope.involvements.filter(family_id__in=family_ids)
        .filter(Q(ended__isnull=True) | Q(ended__gt=today))
        .values_list("family_id", flat=True)
    )
    need.update(
        scope.screens.filter(family_id__in=family_ids, positive=True, recorded_at__gte=since_start).values_list(
            "family_id", flat=True
        )
    )
    return need


def team_caseloads(lead: User, *, today: dt.date, weights: Weights) -> list[Caseload]:
    """One ``Caseload`` per clinical member of the lead's teams: the families of those teams allocated to them."""
    practitioners = team_practitioners(lead)
    scope = Scope(lead)
    mine = scope.families.filter(team_id__in=scope.team_ids, allocated_hv__in=[p.pk for p in practitioners])
    families = list(
        mine.order_by("reference").values(
            "pk", "reference", "allocated_hv_id", "service_level", "safeguarding", "imd_decile"
        )
    )
    ids = mine.values("pk")  # a subquery: thousands of families are never sent back as parameters
    children: Counter[int] = Counter()
    for family_id, born in scope.people.filter(family_id__in=ids, role=PersonRole.INFANT).values_list(
        "family_id", "date_of_birth"
    ):
        if under_five(born, today):
            children[family_id] += 1
    expecting = set(
        scope.pregnancies.filter(family_id__in=ids, outcome=PregnancyOutcome.ONGOING).values_list(
            "family_id", flat=True
        )
    )
    need = _pimh_need(scope, ids, today, weights)
    by_practitioner: dict[int, list[FamilyLoad]] = {p.pk: [] for p in practitioners}
    for f in families:
        by_practitioner[f["allocated_hv_id"]].append(
            FamilyLoad(
                f["pk"],
                f["reference"],
                f["service_level"],
                f["safeguarding"],
                f["imd_decile"],
                children[f["pk"]],
                f["pk"] in need,
                f["pk"] in expecting,
            )
        )
    return [Caseload(p.pk, p.display_name, float(p.wte), tuple(by_practitioner[p.pk])) for p in practitioners]
