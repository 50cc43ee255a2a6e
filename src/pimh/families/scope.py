"""The records a user may see, applied where data is fetched (ADR 0002).

Every query of identifiable data in views and the API starts here, never from
a bare ``Family.objects``.
"""

from __future__ import annotations

from functools import cached_property

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from pimh.core.models import BreakGlassAccess, User
from pimh.core.rules import is_clinical
from pimh.families.models import Family, Person


class Scope:
    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def team_ids(self) -> list[int]:
        if not is_clinical(self.user):
            return []
        return list(self.user.teams.values_list("id", flat=True))

    @cached_property
    def break_glass_family_ids(self) -> list[int]:
        if not is_clinical(self.user):
            return []
        return list(
            BreakGlassAccess.objects.filter(user=self.user, expires_at__gt=timezone.now()).values_list(
                "family_id", flat=True
            )
        )

    @property
    def families(self) -> QuerySet[Family]:
        """Families of the user's teams, plus any under active break-glass access."""
        if not is_clinical(self.user):
            return Family.objects.none()
        return Family.objects.filter(Q(team_id__in=self.team_ids) | Q(pk__in=self.break_glass_family_ids))

    @property
    def people(self) -> QuerySet[Person]:
        return Person.objects.filter(family__in=self.families)

    def family(self, pk: int) -> Family:
        try:
            return self.families.select_related("team", "allocated_hv").get(pk=pk)
        except Family.DoesNotExist:
            raise Http404("No family found") from None

    def person(self, pk: int) -> Person:
        try:
            return self.people.select_related("family").get(pk=pk)
        except Person.DoesNotExist:
            raise Http404("No person found") from None

    def is_break_glass(self, family: Family) -> bool:
        return family.team_id not in self.team_ids
