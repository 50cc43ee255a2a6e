"""Weighted caseloads (pure): weights, the under-5 rule, per-WTE figures, highlighting and the what-if move."""

from __future__ import annotations

import datetime as dt

import pytest

from pimh.workforce.caseload import Caseload, FamilyLoad, load_weights, move, summarise, under_five
from pimh.workforce.params import ParameterError

W = load_weights()


def fam(n: int, *, level="universal", sg="none", decile=10, children=1, need=False, expecting=False) -> FamilyLoad:
    return FamilyLoad(n, f"F{n:04d}", level, sg, decile, children, need, expecting)


def test_every_weight_has_a_unit_and_a_source():
    assert W.version == "2026.1"
    assert all(p.unit and p.source for p in W.parameters.values())
    assert W["benchmarks.children_per_wte"] == 250
    assert W["benchmarks.deprived_children_per_wte"] == 100


def test_a_universal_child_in_the_least_deprived_decile_counts_one():
    assert fam(1).weight(W) == 1.0


@pytest.mark.parametrize(
    ("family", "expected"),
    [
        (fam(1, decile=1), 1.5),
        (fam(1, decile=None), 1.0),
        (fam(1, level="universal_plus", decile=10), 2.0),
        (fam(1, level="partnership_plus", decile=1), 4.5),
        (fam(1, sg="cp", decile=10), 3.0),
        (fam(1, sg="cin", decile=10), 2.0),
        (fam(1, sg="cp", decile=1, children=2), 9.0),  # (1 + 2) x 1.5 x 2 children
        (fam(1, need=True), 3.0),  # 1 + 2 once per family
        (fam(1, children=0, expecting=True), 1.0),
        (fam(1, children=1, expecting=True), 1.0),  # expecting again: the child already counts
        (fam(1, children=0), 0.0),
    ],
)
def test_family_weights(family, expected):
    assert family.weight(W) == pytest.approx(expected)


def test_under_five_edges():
    on = dt.date(2026, 11, 23)
    assert under_five(dt.date(2021, 11, 24), on)
    assert not under_five(dt.date(2021, 11, 23), on)
    assert under_five(on, on)
    assert not under_five(dt.date(2026, 11, 24), on)
    assert not under_five(None, on)
    assert under_five(dt.date(2020, 2, 29), dt.date(2025, 2, 28))
    assert not under_five(dt.date(2020, 2, 29), dt.date(2025, 3, 1))


def test_per_wte_figures_and_the_threshold():
    families = tuple(fam(i, decile=1 if i < 20 else 10) for i in range(200))  # 20 children in decile 1
    part_time = summarise(Caseload(1, "Pat", 0.8, families), W)
    assert part_time.children == 200
    assert part_time.weighted == pytest.approx(20 * 1.5 + 180)
    assert part_time.children_per_wte == pytest.approx(250)
    assert part_time.weighted_per_wte == pytest.approx(210 / 0.8)
    assert part_time.deprivation_aware_per_wte == pytest.approx((20 * 2.5 + 180) / 0.8)
    assert part_time.ratio == pytest.approx(210 / 0.8 / 250)
    assert part_time.over
    full_time = summarise(Caseload(2, "Flo", 1.0, families), W)
    assert not full_time.over  # 210 per WTE, under the 1:250 line
    exactly = summarise(Caseload(3, "Eve", 1.0, tuple(fam(i) for i in range(250))), W)
    assert exactly.ratio == 1.0 and not exactly.over


def test_a_wte_outside_0_to_1_is_refused():
    with pytest.raises(ValueError, match="WTE"):
        Caseload(1, "Zero", 0.0, ())


def test_moving_families_changes_both_caseloads_and_nothing_else():
    a = Caseload(1, "A", 1.0, (fam(1), fam(2, level="partnership_plus"), fam(3)))
    b = Caseload(2, "B", 1.0, (fam(4),))
    c = Caseload(3, "C", 1.0, (fam(5),))
    after = move([a, b, c], [2, 3], to=2)
    assert [f.family_id for f in after[0].families] == [1]
    assert [f.family_id for f in after[1].families] == [4, 2, 3]
    assert after[2] == c
    assert [f.family_id for f in a.families] == [1, 2, 3]  # the input is untouched
    total = sum(summarise(x, W).weighted for x in (a, b, c))
    assert sum(summarise(x, W).weighted for x in after) == pytest.approx(total)


def test_moving_needs_known_families_and_a_team_member():
    a = Caseload(1, "A", 1.0, (fam(1),))
    with pytest.raises(ValueError, match="families"):
        move([a], [99], to=1)
    with pytest.raises(ValueError, match="practitioner"):
        move([a], [1], to=7)


def test_a_weights_file_missing_a_weight_is_refused(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text('version = "x"\n[level]\nuniversal = { value = 1.0, unit = "w", source = "s" }\n')
    with pytest.raises(ParameterError, match="missing weight"):
        load_weights(path=path)
