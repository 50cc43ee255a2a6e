"""The pure demand model: the worked example of docs/workforce.md, and properties of the formula."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pimh.workforce import model
from pimh.workforce.params import CONTACTS, load_parameters

PARAMS = load_parameters()
DOC = Path(__file__).resolve().parents[2] / "docs" / "workforce.md"


def _a(x: float) -> np.ndarray:
    return np.array([float(x)])


def worked_area() -> model.Areas:
    return model.Areas(
        ("E06000099",),
        _a(600),
        {
            "universal": _a(2700),
            "universal_plus": _a(180),
            "universal_partnership_plus": _a(90),
            "child_protection": _a(30),
        },
        {
            "universal": _a(1200),
            "universal_plus": _a(120),
            "universal_partnership_plus": _a(72),
            "child_protection": _a(24),
        },
        {"universal": _a(30), "universal_plus": _a(0), "universal_partnership_plus": _a(0), "child_protection": _a(0)},
        _a(600),
        _a(9.6),
    )


def _doc_values() -> dict[str, Decimal]:
    text = DOC.read_text()
    block = text.split("recomputes every value:", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    return {m[1]: Decimal(m[2]) for m in re.finditer(r"^(\w+) = ([\d.]+)$", block, flags=re.MULTILINE)}


def test_worked_example_in_the_docs_is_reproduced():
    v = PARAMS.values()
    area = worked_area()
    d = model.demand(area, v)
    parts = d.part_wte()
    marks = model.benchmarks(area)
    computed = {
        "minutes_per_birth": float(model.minutes_per_birth(v)),
        "H_mand": d.mandated[0],
        **{f"W_{g}": model.weighted_children(area, g, v)[0] for g in model.GROUPS},
        "H_add": d.additional[0],
        "pimh_minutes_per_birth": float(model.pimh_minutes_per_birth(v)),
        "H_pimh": d.pimh[0],
        "H_sg": d.safeguarding[0],
        "P": float(d.productive_hours),
        "WTE": d.wte[0],
        **{f"WTE_{name}": values[0] for name, values in parts.items()},
        **{name: values[0] for name, values in marks.items()},
    }
    documented = _doc_values()
    assert len(documented) == 20
    assert set(documented) == set(computed)
    for name, value in documented.items():
        places = max(-value.as_tuple().exponent, 0)
        assert round(float(computed[name]), places) == float(value), name
    assert float(area.children[0]) == 3000


def test_with_full_coverage_and_no_partners_the_formula_is_the_published_one():
    """c_k = 1 (3-4 month off) and no partners: H_mand = B sum s_k(t+d+r), H_pimh = B[m t_s + prev(t_a + k t_lv)]."""
    v = PARAMS.with_values({"mandated.antenatal.coverage": 1.0}).values()
    expected = sum(
        v[f"mandated.{k}.hv_share"]
        * (v[f"mandated.{k}.face_to_face"] + v[f"mandated.{k}.documentation"] + v[f"mandated.{k}.travel"])
        for k in CONTACTS
        if k != "three_to_four_month"
    )
    assert float(model.minutes_per_birth(v)) == pytest.approx(expected)
    assert float(model.pimh_minutes_per_birth(v)) == pytest.approx(3 * 10 + 0.15 * (60 + 6 * 60))


def test_deprivation_weight_is_one_and_a_half_at_decile_1_and_one_at_decile_10():
    v = PARAMS.values()
    for decile, weight in ((1, 1.5), (10, 1.0), (4, 1.0 + 0.5 * 6 / 9)):
        area = model.areas_from_totals(
            code="E1",
            births=0,
            children=0,
            mix={k: 0.0 for k in model.LEVELS},
            on_plan=1,
            mean_load=(10 - decile) / 9,
            deprived=0,
        )
        assert model.weighted_children(area, "child_protection", v)[0] == pytest.approx(weight)


def test_productive_hours_follow_the_published_deductions():
    expected = 37.5 * 52.143 - (29 + 8) * 7.5 - 37.5 * 52.143 * (0.054 + 0.03 + 0.02 + 0.10)
    assert float(model.productive_hours(PARAMS.values())) == pytest.approx(expected)


# ---- properties ----------------------------------------------------------------------------------

area_sizes = st.fixed_dictionaries(
    {
        "births": st.floats(1, 20_000),
        "children": st.floats(1, 100_000),
        "on_plan_share": st.floats(0, 0.05),
        "mean_load": st.floats(0, 1),
    }
)


def _area(sizes: dict[str, float], births: float | None = None) -> model.Areas:
    return model.areas_from_totals(
        code="E1",
        births=sizes["births"] if births is None else births,
        children=sizes["children"],
        mix={"universal": 0.91, "universal_plus": 0.06, "universal_partnership_plus": 0.03},
        on_plan=sizes["children"] * sizes["on_plan_share"],
        mean_load=sizes["mean_load"],
        deprived=0,
    )


def _wte(area: model.Areas, changes: dict[str, float] | None = None) -> float:
    return float(model.demand(area, {**PARAMS.values(), **(changes or {})}).wte[0])


@settings(max_examples=60, deadline=None)
@given(area_sizes, st.floats(1.01, 3))
def test_required_wte_rises_with_births(sizes, factor):
    assert _wte(_area(sizes, sizes["births"] * factor)) > _wte(_area(sizes))


@settings(max_examples=60, deadline=None)
@given(area_sizes, st.sampled_from(CONTACTS[:3] + CONTACTS[4:]), st.floats(1.0, 60))
def test_required_wte_rises_with_contact_minutes(sizes, contact, extra):
    name = f"mandated.{contact}.face_to_face"
    assert _wte(_area(sizes), {name: PARAMS[name] + extra}) > _wte(_area(sizes))
    assert _wte(_area(sizes), {"additional.face_to_face": 45 + extra}) > _wte(_area(sizes))


@settings(max_examples=60, deadline=None)
@given(area_sizes, st.floats(0.16, 0.5))
def test_required_wte_rises_with_prevalence(sizes, prevalence):
    assert _wte(_area(sizes), {"pimh.postnatal_prevalence": prevalence}) > _wte(_area(sizes))


@settings(max_examples=60, deadline=None)
@given(area_sizes, st.floats(0.001, 0.2))
def test_required_wte_falls_as_productive_hours_rise(sizes, less_admin):
    assert _wte(_area(sizes), {"productive.admin": 0.10 - less_admin / 2}) < _wte(_area(sizes))
    assert _wte(_area(sizes), {"productive.annual_leave": 29 - less_admin * 100}) < _wte(_area(sizes))


@settings(max_examples=30, deadline=None)
@given(st.lists(area_sizes, min_size=1, max_size=5))
def test_areas_computed_together_equal_areas_computed_alone(many):
    alone = [_wte(_area(s)) for s in many]
    single = [_area(s) for s in many]
    together = model.Areas(
        tuple(f"E{i}" for i in range(len(many))),
        np.concatenate([a.births for a in single]),
        {g: np.concatenate([a.known[g] for a in single]) for g in model.GROUPS},
        {g: np.concatenate([a.load[g] for a in single]) for g in model.GROUPS},
        {g: np.concatenate([a.unknown[g] for a in single]) for g in model.GROUPS},
        np.concatenate([a.deprived for a in single]),
        np.concatenate([a.wte_in_post for a in single]),
    )
    assert model.demand(together, PARAMS.values()).wte == pytest.approx(alone)


def test_areas_need_one_value_per_area():
    with pytest.raises(ValueError, match="one value per area"):
        model.Areas(("E1", "E2"), _a(1), *[{g: _a(0) for g in model.GROUPS}] * 3, _a(0), _a(0))
