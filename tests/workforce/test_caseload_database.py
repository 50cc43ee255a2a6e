"""The database's weight of a family (``caseload.weight_expression``) and children aged 0-4 agree with the
Python rule (``FamilyLoad.weight``, ``under_five``) on every combination of the inputs (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db.models import BooleanField, IntegerField, Value

from pimh.core.models import User
from pimh.families.scope import Scope
from pimh.workforce import presenters
from pimh.workforce.caseload import LEVELS, FamilyLoad, five_years_before, load_weights, under_five, weight_expression
from tests.conftest import make_family

W = load_weights()
DECILES = (None, *range(1, 11))
COMBINATIONS = list(itertools.product(LEVELS, ("none", "cin", "cp"), DECILES, (0, 1, 2), (False, True), (False, True)))


def test_every_combination_is_covered():
    assert len(COMBINATIONS) == 4 * 3 * 11 * 3 * 2 * 2


@pytest.mark.django_db
def test_the_database_weight_is_the_python_weight_for_every_combination(hv):
    one = User.objects.filter(pk=hv.pk)
    expression = weight_expression(
        W,
        level="x_level",
        safeguarding="x_sg",
        decile="x_decile",
        children="x_children",
        pimh_need="x_need",
        expecting="x_expecting",
    )
    found = []
    for level, sg, decile, children, need, expecting in COMBINATIONS:
        row = one.annotate(
            x_level=Value(level),
            x_sg=Value(sg),
            x_decile=Value(decile, output_field=IntegerField()),
            x_children=Value(children, output_field=IntegerField()),
            x_need=Value(need, output_field=BooleanField()),
            x_expecting=Value(expecting, output_field=BooleanField()),
        ).annotate(weight=expression)
        expected = FamilyLoad(1, "F", level, sg, decile, children, need, expecting).weight(W)
        found.append((row.values_list("weight", flat=True).get(), expected))
    assert [db for db, _ in found] == pytest.approx([py for _, py in found], rel=1e-12, abs=1e-12)
    assert {py for _, py in found} >= {0.0, 1.0, 2.0}  # the antenatal and PIMH-need weights both appear


def test_five_years_before_is_the_edge_of_under_five_around_leap_days():
    days = [dt.date(2027, 12, 1) + dt.timedelta(days=i) for i in range(3 * 366 + 120)]
    leap = [on for on in days if (on.month, on.day) == (2, 29)]
    assert leap == [dt.date(2028, 2, 29)]
    for on in days:
        cutoff = five_years_before(on)
        for dob in (
            cutoff - dt.timedelta(days=1),
            cutoff,
            cutoff + dt.timedelta(days=1),
            on,
            on + dt.timedelta(days=1),
        ):
            assert under_five(dob, on) == (cutoff < dob <= on), (dob, on)
    assert under_five(dt.date(2024, 2, 29), dt.date(2029, 2, 28))
    assert not under_five(dt.date(2024, 2, 29), dt.date(2029, 3, 1))


@pytest.mark.parametrize(
    ("on", "born"),
    [
        (dt.date(2026, 11, 23), dt.date(2021, 11, 23)),  # 5 today: not counted
        (dt.date(2026, 11, 23), dt.date(2021, 11, 24)),  # 5 tomorrow
        (dt.date(2026, 11, 23), dt.date(2026, 11, 23)),  # born today
        (dt.date(2026, 11, 23), dt.date(2026, 11, 24)),  # a date of birth after today
        (dt.date(2029, 2, 28), dt.date(2024, 2, 29)),  # a 29 February birthday turns 5 on 1 March
        (dt.date(2029, 3, 1), dt.date(2024, 2, 29)),
        (dt.date(2028, 2, 29), dt.date(2023, 2, 28)),
        (dt.date(2028, 2, 29), dt.date(2023, 3, 1)),
    ],
)
@pytest.mark.django_db
def test_the_database_counts_children_aged_0_to_4_as_under_five_does(lead, hv, team_a, on, born):
    family = make_family(by=hv, team=team_a, allocated_hv=hv)
    family.people.filter(role="infant").update(date_of_birth=born)
    loads = presenters.family_loads(Scope(lead), [hv], today=on, weights=W)
    assert loads.values_list("pk", "children").get() == (family.pk, int(under_five(born, on)))


@pytest.mark.django_db
def test_the_database_sums_are_the_python_sums_of_the_same_families(lead, hv, specialist, team_a):
    from django.utils import timezone

    from pimh.families import services
    from pimh.families.models import Family
    from pimh.referrals.models import SpecialistInvolvement
    from pimh.workforce.caseload import totals

    today = timezone.localdate()
    expecting = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=None)
    mother = expecting.people.get(role="birthing_parent")
    services.add_pregnancy(by=hv, family=expecting, mother=mother, edd=today + dt.timedelta(days=60))
    expecting_again = make_family(by=hv, team=team_a, allocated_hv=hv)  # has a child: no antenatal weight
    mother = expecting_again.people.get(role="birthing_parent")
    services.add_pregnancy(by=hv, family=expecting_again, mother=mother, edd=today + dt.timedelta(days=60))
    need = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=400)
    SpecialistInvolvement.objects.create(family=need, specialist=specialist, kind="consultation", started=today)
    Family.objects.filter(pk=need.pk).update(imd_decile=2, service_level="partnership_plus", safeguarding="cin")

    def load(family, children, pimh_need, pregnant):
        f = Family.objects.get(pk=family.pk)
        return FamilyLoad(
            f.pk, f.reference, f.service_level, f.safeguarding, f.imd_decile, children, pimh_need, pregnant
        )

    pure = totals(
        [load(expecting, 0, False, True), load(expecting_again, 1, False, True), load(need, 1, True, False)], W
    )
    loads = presenters.family_loads(Scope(lead), [hv], today=today, weights=W)
    found = presenters.sums(Scope(lead), loads, today=today, weights=W, practitioner_ids=[hv.pk])[hv.pk]
    assert (
        (found.families, found.children, found.deprived_children)
        == (3, 2, 1)
        == (pure.families, pure.children, pure.deprived_children)
    )
    assert found.weighted == pytest.approx(pure.weighted)
    assert pure.weighted == pytest.approx(1.0 + (1.0 + 0.5 * 7 / 9) + ((3.0 + 1.0) * (1.0 + 0.5 * 8 / 9) + 2.0))
