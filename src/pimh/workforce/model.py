"""The health visiting demand model of data-standards.md section 5 (pure: no Django, mypy strict).

For each area (an upper-tier local authority):

    H_mand = B x sum_k c_k s_k (t_k + d_k + r_k) / 60
    H_add  = sum_L W_L x n_L x (t_add + d_add + r_add) / 60
    H_pimh = B x [m_screen x t_screen + prev x (t_assess + k_lv x t_lv)] / 60
    H_sg   = W_CP x h_cp
    P      = weekly x weeks - (leave + bank holidays) x day - weekly x weeks x (sick + train + supervision + admin)
    WTE    = (H_mand + H_add + H_pimh + H_sg) / P

W_g is the deprivation-weighted number of children in group g: each child counts w(d) =
w10 + (w1 - w10) x (10 - d) / 9 for IMD decile d, or w_unknown when no decile is recorded. The
weighted counts are linear in the weights, so an area is described by three numbers per group (children
with a decile, their summed (10 - d) / 9, children without one) and the whole model is array arithmetic:
parameter values may be scalars or arrays of shape (draws, 1), giving results of shape (areas,) or
(draws, areas).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pimh.workforce.params import CONTACTS, LEVELS, ParameterError

Floats = npt.NDArray[np.float64]
Value = float | Floats
GROUPS = (*LEVELS, "child_protection")
MINUTES_PER_HOUR = 60.0

# Benchmarks of data-standards.md section 5 (published ratios, not parameters of the model).
IHV_CHILDREN_PER_WTE = 250.0
IHV_DEPRIVED_CHILDREN_PER_WTE = 100.0
FLOOR_WTE_PER_1000_CHILDREN = 3.0
FUNDING_CHILDREN_PER_WTE = 300.0
DEPRIVED_DECILES = (1, 2)


def _array(values: object) -> Floats:
    return np.asarray(values, dtype=np.float64)


@dataclass(frozen=True)
class Areas:
    """Per-area inputs, each an array with one entry per area (codes gives their order)."""

    codes: tuple[str, ...]
    births: Floats
    known: Mapping[str, Floats]  # children with a recorded IMD decile, per group
    load: Mapping[str, Floats]  # sum of (10 - decile) / 9 over those children, per group
    unknown: Mapping[str, Floats]  # children with no recorded decile, per group
    deprived: Floats  # children in IMD deciles 1-2 (for the deprivation-aware benchmark)
    wte_in_post: Floats  # NaN where not known

    def __post_init__(self) -> None:
        n = len(self.codes)
        if any(set(m) != set(GROUPS) for m in (self.known, self.load, self.unknown)):
            raise ValueError(f"area inputs need every group: {', '.join(GROUPS)}")
        arrays = [self.births, self.deprived, self.wte_in_post]
        arrays += [m[g] for m in (self.known, self.load, self.unknown) for g in GROUPS]
        if any(a.shape != (n,) for a in arrays):
            raise ValueError("every area input needs one value per area")

    @property
    def children(self) -> Floats:
        return _array(sum(self.known[level] + self.unknown[level] for level in LEVELS))

    def group_children(self, group: str) -> Floats:
        return self.known[group] + self.unknown[group]


def areas_from_totals(
    *,
    code: str,
    births: float,
    children: float,
    mix: Mapping[str, float],
    on_plan: float,
    mean_load: float,
    deprived: float,
    wte_in_post: float = float("nan"),
) -> Areas:
    """One area from totals: children split by ``mix``, every decile known with the same mean (10 - d) / 9."""
    known = {level: _array([children * mix[level]]) for level in LEVELS}
    known["child_protection"] = _array([on_plan])
    load = {group: known[group] * mean_load for group in GROUPS}
    unknown = {group: _array([0.0]) for group in GROUPS}
    return Areas((code,), _array([births]), known, load, unknown, _array([deprived]), _array([wte_in_post]))


@dataclass(frozen=True)
class Demand:
    """Hours per year by part, productive hours per WTE and the WTE required (same shape as the inputs)."""

    mandated: Floats
    additional: Floats
    pimh: Floats
    safeguarding: Floats
    productive_hours: Floats

    @property
    def hours(self) -> Floats:
        return self.mandated + self.additional + self.pimh + self.safeguarding

    @property
    def wte(self) -> Floats:
        return self.hours / self.productive_hours

    def part_wte(self) -> dict[str, Floats]:
        return {
            "mandated": self.mandated / self.productive_hours,
            "additional": self.additional / self.productive_hours,
            "pimh": self.pimh / self.productive_hours,
            "safeguarding": self.safeguarding / self.productive_hours,
        }


def productive_hours(v: Mapping[str, Value]) -> Floats:
    contracted = _array(v["productive.weekly_hours"]) * v["productive.weeks_per_year"]
    leave = (_array(v["productive.annual_leave"]) + v["productive.bank_holidays"]) * v["productive.hours_per_day"]
    allowances = (
        _array(v["productive.sickness"])
        + v["productive.training"]
        + v["productive.supervision"]
        + v["productive.admin"]
    )
    hours = contracted - leave - contracted * allowances
    if np.any(hours <= 0):
        raise ParameterError("productive hours per WTE must be more than 0: leave and allowances exceed the contract")
    return hours


def weighted_children(areas: Areas, group: str, v: Mapping[str, Value]) -> Floats:
    """W_g: children in the group, each weighted by the deprivation weight of their IMD decile."""
    w1, w10, wu = v["deprivation.weight_decile_1"], v["deprivation.weight_decile_10"], v["deprivation.weight_unknown"]
    return _array(w10 * areas.known[group] + (_array(w1) - w10) * areas.load[group] + wu * areas.unknown[group])


def minutes_per_birth(v: Mapping[str, Value]) -> Floats:
    """sum over k of c_k s_k (t_k + d_k + r_k): mandated minutes per birth."""
    total = _array(0.0)
    for k in CONTACTS:
        p = f"mandated.{k}."
        minutes = _array(v[p + "face_to_face"]) + v[p + "documentation"] + v[p + "travel"]
        total = total + _array(v[p + "coverage"]) * v[p + "hv_share"] * minutes
    return total


def pimh_minutes_per_birth(v: Mapping[str, Value]) -> Floats:
    """m_screen x t_screen + prev x (t_assess + k_lv x t_lv), with partners' screens and need added."""
    partners = _array(v["pimh.partners_screened"])
    screens = _array(v["pimh.screens_per_parent"]) * (1.0 + partners)
    prevalence = _array(v["pimh.postnatal_prevalence"]) + partners * v["pimh.partner_prevalence"]
    per_need = (
        _array(v["pimh.assessment_minutes"]) + _array(v["pimh.listening_visits"]) * v["pimh.listening_visit_minutes"]
    )
    return _array(screens * v["pimh.screen_minutes"] + prevalence * per_need)


def demand(areas: Areas, v: Mapping[str, Value]) -> Demand:
    """The model for every area at once; ``v`` maps parameter names to scalars or (draws, 1) arrays."""
    births = areas.births
    mandated = births * minutes_per_birth(v) / MINUTES_PER_HOUR
    add_minutes = _array(v["additional.face_to_face"]) + v["additional.documentation"] + v["additional.travel"]
    additional = _array(
        sum(weighted_children(areas, level, v) * v[f"additional.{level}"] for level in LEVELS)
        * add_minutes
        / MINUTES_PER_HOUR
    )
    pimh = births * pimh_minutes_per_birth(v) / MINUTES_PER_HOUR
    safeguarding = weighted_children(areas, "child_protection", v) * v["safeguarding.hours_per_child_on_plan"]
    hours_per_wte = productive_hours(v)
    shape = np.broadcast_shapes(mandated.shape, additional.shape, pimh.shape, safeguarding.shape, hours_per_wte.shape)
    return Demand(
        np.broadcast_to(mandated, shape),
        np.broadcast_to(additional, shape),
        np.broadcast_to(pimh, shape),
        np.broadcast_to(safeguarding, shape),
        hours_per_wte,
    )


def benchmarks(areas: Areas) -> dict[str, Floats]:
    """Published staffing ratios (WTE health visitors) beside the model."""
    children = areas.children
    return {
        "ihv_1_250": children / IHV_CHILDREN_PER_WTE,
        "floor_3_per_1000": FLOOR_WTE_PER_1000_CHILDREN * children / 1000.0,
        "ihv_deprivation": areas.deprived / IHV_DEPRIVED_CHILDREN_PER_WTE
        + (children - areas.deprived) / IHV_CHILDREN_PER_WTE,
        "funding_1_300": children / FUNDING_CHILDREN_PER_WTE,
    }
