"""The records a user may see, applied where data is fetched (ADR 0002).

Every query of identifiable data in views and the API starts here, never from
a bare ``Family.objects``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from pimh.core.models import BreakGlassAccess, User
from pimh.core.rules import is_clinical
from pimh.families.models import Family, Person

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Opened:
    """One identifiable record fetched through the Scope (what a read audit event names)."""

    record: models.Model
    family_id: int
    break_glass: bool


class Scope:
    def __init__(self, user: User) -> None:
        self.user = user
        # Single records fetched by family(), person() and record(), first first (see reads.py).
        self.opened: list[Opened] = []

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

    def _family_filter(self, path: str) -> Q:
        """The condition "the family at ``path`` is in scope", as a join to the family, never ``IN (subquery)``.

        SQLite drives a query from an ``IN (SELECT families of the team)`` condition (through the
        family index) rather than from the page's own filter (``assigned_to``, ``status``), so a page
        read every task of the team; the join lets both databases start from the selective condition.
        """
        if not is_clinical(self.user):
            return Q(pk__in=[])
        condition = Q(**{f"{path}__team_id__in": self.team_ids})
        if self.break_glass_family_ids:
            condition |= Q(**{f"{path}_id__in": self.break_glass_family_ids})
        return condition

    @property
    def people(self) -> QuerySet[Person]:
        return Person.objects.filter(self._family_filter("family"))

    # ---- every other identifiable record, limited to the scope's families -------------------------
    # Views and presenters read through these, never a bare ``X.objects`` (tests/test_architecture.py).
    # The models are looked up by label: families is the base app and must not import the others.

    def _of(self, label: str, family_path: str = "family") -> QuerySet[Any]:
        model = apps.get_model(label)
        return model.objects.filter(self._family_filter(family_path))  # type: ignore[no-any-return]

    @property
    def pregnancies(self) -> QuerySet[Any]:
        return self._of("families.Pregnancy")

    @property
    def relationships(self) -> QuerySet[Any]:
        return self._of("families.Relationship", "child__family")

    @property
    def tasks(self) -> QuerySet[Any]:
        return self._of("contacts.Task")

    @property
    def task_events(self) -> QuerySet[Any]:
        return self._of("contacts.TaskEvent", "task__family")

    @property
    def contacts(self) -> QuerySet[Any]:
        return self._of("contacts.Contact")

    @property
    def bookings(self) -> QuerySet[Any]:
        """Booked contacts (the diary)."""
        return self._of("diary.Booking")

    @property
    def screens(self) -> QuerySet[Any]:
        return self._of("screening.Screen")

    @property
    def suggestions(self) -> QuerySet[Any]:
        return self._of("screening.Suggestion", "screen__family")

    @property
    def flags(self) -> QuerySet[Any]:
        return self._of("screening.UrgentFlag")

    @property
    def observations(self) -> QuerySet[Any]:
        """Parent-infant relationship observations."""
        return self._of("screening.RelationshipObservation")

    @property
    def referrals(self) -> QuerySet[Any]:
        return self._of("referrals.Referral")

    @property
    def referral_events(self) -> QuerySet[Any]:
        return self._of("referrals.ReferralEvent", "referral__family")

    @property
    def involvements(self) -> QuerySet[Any]:
        return self._of("referrals.SpecialistInvolvement")

    @property
    def messages(self) -> QuerySet[Any]:
        """Messages and consultation notes on the families' records."""
        return self._of("referrals.RecordMessage")

    @property
    def break_glass_log(self) -> QuerySet[BreakGlassAccess]:
        """Break-glass accesses to the families of the user's own teams (the team lead's log).

        Read from the accesses, which are few, each checked against its family's team: a join from the
        team's families (tens of thousands in a large trust) made SQLite read every one of them.
        """
        if not is_clinical(self.user):
            return BreakGlassAccess.objects.none()
        own = Family.objects.filter(pk=OuterRef("family_id"), team_id__in=self.team_ids)
        return BreakGlassAccess.objects.filter(Exists(own))

    def anyone_by_nhs_number(self, nhs_number: str) -> Person | None:
        """The one deliberately unscoped read: the break-glass lookup, whose opening is then audited."""
        return Person.objects.select_related("family").filter(nhs_number=nhs_number).first()

    def family(self, pk: int) -> Family:
        try:
            family = self.families.select_related("team", "allocated_hv").get(pk=pk)
        except Family.DoesNotExist:
            raise Http404("No family found") from None
        self._open(family, family)
        return family

    def person(self, pk: int) -> Person:
        try:
            person = self.people.select_related("family").get(pk=pk)
        except Person.DoesNotExist:
            raise Http404("No person found") from None
        self._open(person, person.family)
        return person

    def record(self, queryset: QuerySet[M], pk: int, *, family_path: str = "family") -> M:
        """One record of any identifiable kind, limited to this scope's families (404 otherwise).

        ``family_path`` leads from the record to its family, e.g. ``"screen__family"`` for a suggestion.
        """
        try:
            found = queryset.filter(self._family_filter(family_path)).get(pk=pk)
        except queryset.model.DoesNotExist:
            raise Http404(f"No {queryset.model._meta.verbose_name} found") from None
        holder: Any = found
        for name in family_path.split("__")[:-1]:
            holder = getattr(holder, name)
        family_id = getattr(holder, family_path.split("__")[-1] + "_id")
        self._open(found, Family.objects.only("team_id").get(pk=family_id))
        return found

    def _open(self, record: models.Model, family: Family) -> None:
        self.opened.append(Opened(record, family.pk, self.is_break_glass(family)))

    def is_break_glass(self, family: Family) -> bool:
        return family.team_id not in self.team_ids


def scope_for(request: HttpRequest) -> Scope:
    """The request's one Scope: what it fetches is what ``reads.audited_read`` audits."""
    scope = getattr(request, "_pimh_scope", None)
    if scope is None:
        scope = Scope(request.user)  # type: ignore[arg-type]
        request._pimh_scope = scope  # type: ignore[attr-defined]
    return scope
