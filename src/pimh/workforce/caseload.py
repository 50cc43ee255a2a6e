"""Weighted caseloads for a team lead (pure: Django is imported only to build the database's form of the weight).

The weights are configuration (``params/caseload-<version>.toml``, each with a unit and a source).
Per child aged 0-4: (level weight + child protection extra + child in need extra) x deprivation weight;
per family: + the PIMH-need weight when it has open PIMH need, or the antenatal weight when it has an
ongoing pregnancy and no child under 5. Caseloads are compared, per WTE, with the iHV 1:250 line and
with the deprivation-aware iHV figure (a child in IMD deciles 1-2 counts 250/100 = 2.5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pimh.workforce.params import PARAMS_DIR, Parameter, ParameterError, flatten_parameters

DEFAULT_VERSION = "2026.1"
DEPRIVED_DECILES = frozenset({1, 2})
LEVELS = ("community", "universal", "universal_plus", "partnership_plus")
REQUIRED = frozenset(
    [f"level.{level}" for level in LEVELS]
    + ["safeguarding.child_protection_plan", "safeguarding.child_in_need"]
    + ["deprivation.decile_1", "deprivation.decile_10", "deprivation.unknown"]
    + ["family.pimh_need", "family.antenatal_family", "pimh.recent_positive_screen_weeks"]
    + ["benchmarks.children_per_wte", "benchmarks.deprived_children_per_wte", "benchmarks.highlight_ratio"]
)


@dataclass(frozen=True)
class Weights:
    version: str
    parameters: Mapping[str, Parameter]

    def __getitem__(self, name: str) -> float:
        return self.parameters[name].value

    def deprivation(self, decile: int | None) -> float:
        if decile is None:
            return self["deprivation.unknown"]
        low, high = self["deprivation.decile_10"], self["deprivation.decile_1"]
        return low + (high - low) * (10 - decile) / 9

    @property
    def recent_screen_weeks(self) -> int:
        return int(self["pimh.recent_positive_screen_weeks"])


def load_weights(version: str = DEFAULT_VERSION, *, path: Path | None = None) -> Weights:
    import tomllib

    source = path or PARAMS_DIR / f"caseload-{version}.toml"
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"no caseload weights version {version!r}") from None
    except tomllib.TOMLDecodeError as error:
        raise ParameterError(f"{source.name}: not valid TOML ({error})") from None
    found_version = str(data.pop("version", ""))
    data.pop("description", None)
    parameters: dict[str, Parameter] = {}
    flatten_parameters(data, "", parameters)
    missing = sorted(REQUIRED - set(parameters))
    if missing:
        raise ParameterError(f"{source.name}: missing weight(s) {', '.join(missing)}")
    return Weights(found_version, parameters)


def under_five(date_of_birth: dt.date | None, on: dt.date) -> bool:
    """Born on or before ``on`` and not yet 5 (a 29 February birthday falls on 1 March)."""
    if date_of_birth is None or date_of_birth > on:
        return False
    fifth = (date_of_birth.year + 5, date_of_birth.month, date_of_birth.day)
    return (on.year, on.month, on.day) < fifth


def five_years_before(on: dt.date) -> dt.date:
    """The latest date of birth of a child already 5 on ``on``: ``under_five`` is born after it, on or before ``on``."""
    try:
        return on.replace(year=on.year - 5)
    except ValueError:  # 29 February: a child born on 28 February five years before turns 5 that day
        return on.replace(year=on.year - 5, day=28)


@dataclass(frozen=True)
class FamilyLoad:
    family_id: int
    reference: str
    level: str
    safeguarding: str  # "none", "cin" or "cp"
    imd_decile: int | None
    children: int  # aged 0-4
    pimh_need: bool
    expecting: bool  # an ongoing pregnancy

    def weight(self, w: Weights) -> float:
        per_child = w[f"level.{self.level}"]
        if self.safeguarding == "cp":
            per_child += w["safeguarding.child_protection_plan"]
        elif self.safeguarding == "cin":
            per_child += w["safeguarding.child_in_need"]
        total = self.children * per_child * w.deprivation(self.imd_decile)
        if self.pimh_need:
            total += w["family.pimh_need"]
        if self.expecting and self.children == 0:
            total += w["family.antenatal_family"]
        return total


def _number(x: float) -> Any:
    from django.db.models import FloatField, Value  # type: ignore[import-untyped]

    return Value(float(x), output_field=FloatField())


def child_weight_expression(w: Weights, *, level: str, safeguarding: str, decile: str) -> Any:
    """What one child aged 0-4 adds to ``FamilyLoad.weight``, as a database expression over the named fields
    of the child's family: (level weight + safeguarding extra) x deprivation weight."""
    from django.db.models import Case, Q, When

    per_level = Case(
        *(When(Q(**{level: name}), then=_number(w[f"level.{name}"])) for name in LEVELS), default=_number(0)
    )
    extra = Case(
        When(Q(**{safeguarding: "cp"}), then=_number(w["safeguarding.child_protection_plan"])),
        When(Q(**{safeguarding: "cin"}), then=_number(w["safeguarding.child_in_need"])),
        default=_number(0),
    )
    deprivation = Case(
        *(When(Q(**{decile: d}), then=_number(w.deprivation(d))) for d in range(1, 11)),
        default=_number(w.deprivation(None)),
    )
    return (per_level + extra) * deprivation


def family_extra_expression(w: Weights, *, pimh_need: str, expecting: str, childless: Any) -> Any:
    """What ``FamilyLoad.weight`` adds once per family, as a database expression: the PIMH-need weight, and the
    antenatal weight when ``expecting`` and ``childless`` (a condition: no child aged 0-4)."""
    from django.db.models import Case, Q, When

    need = Case(When(Q(**{pimh_need: True}), then=_number(w["family.pimh_need"])), default=_number(0))
    antenatal = Case(
        When(Q(**{expecting: True}) & childless, then=_number(w["family.antenatal_family"])), default=_number(0)
    )
    return need + antenatal


def weight_expression(
    w: Weights, *, level: str, safeguarding: str, decile: str, children: str, pimh_need: str, expecting: str
) -> Any:
    """``FamilyLoad.weight`` as a database expression over a family's fields or annotations (named here).

    ``children`` names an integer (children aged 0-4), ``pimh_need`` and ``expecting`` booleans. The same
    weights, the same rule: tests/workforce/test_caseload_database.py checks every combination against
    ``FamilyLoad.weight``.
    """
    from django.db.models import F, Q

    per_child = child_weight_expression(w, level=level, safeguarding=safeguarding, decile=decile)
    extra = family_extra_expression(w, pimh_need=pimh_need, expecting=expecting, childless=Q(**{children: 0}))
    return F(children) * per_child + extra


@dataclass(frozen=True)
class Caseload:
    practitioner_id: int
    name: str
    wte: float
    families: tuple[FamilyLoad, ...]

    def __post_init__(self) -> None:
        if not 0 < self.wte <= 1.0:
            raise ValueError("a practitioner's WTE must be more than 0 and at most 1.0")

    @property
    def children(self) -> int:
        return sum(f.children for f in self.families)

    @property
    def deprived_children(self) -> int:
        return sum(f.children for f in self.families if f.imd_decile in DEPRIVED_DECILES)


@dataclass(frozen=True)
class Totals:
    """A caseload's sums: what ``summarise`` needs, whether added up here or by the database."""

    families: int = 0
    children: int = 0
    deprived_children: int = 0
    weighted: float = 0.0

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.families + other.families,
            self.children + other.children,
            self.deprived_children + other.deprived_children,
            self.weighted + other.weighted,
        )

    def __sub__(self, other: Totals) -> Totals:
        return Totals(
            self.families - other.families,
            self.children - other.children,
            self.deprived_children - other.deprived_children,
            self.weighted - other.weighted,
        )


def totals(families: Iterable[FamilyLoad], w: Weights) -> Totals:
    total = Totals()
    for f in families:
        deprived = f.children if f.imd_decile in DEPRIVED_DECILES else 0
        total += Totals(1, f.children, deprived, f.weight(w))
    return total


@dataclass(frozen=True)
class CaseloadRow:
    """One practitioner's figures; ``*_per_wte`` are in children per WTE, comparable with the 1:250 line."""

    practitioner_id: int
    name: str
    wte: float
    families: int
    children: int
    weighted: float
    children_per_wte: float
    weighted_per_wte: float
    deprivation_aware_per_wte: float  # children, a child in deciles 1-2 counting 250/100
    ratio: float  # weighted per WTE / children_per_wte benchmark
    over: bool


def summarise(caseload: Caseload, w: Weights) -> CaseloadRow:
    return summarise_totals(caseload.practitioner_id, caseload.name, caseload.wte, totals(caseload.families, w), w)


def summarise_totals(practitioner_id: int, name: str, wte: float, t: Totals, w: Weights) -> CaseloadRow:
    if not 0 < wte <= 1.0:
        raise ValueError("a practitioner's WTE must be more than 0 and at most 1.0")
    per_wte = w["benchmarks.children_per_wte"]
    deprived_factor = per_wte / w["benchmarks.deprived_children_per_wte"]
    ratio = t.weighted / wte / per_wte
    return CaseloadRow(
        practitioner_id,
        name,
        wte,
        t.families,
        t.children,
        t.weighted,
        t.children / wte,
        t.weighted / wte,
        (t.deprived_children * deprived_factor + (t.children - t.deprived_children)) / wte,
        ratio,
        ratio > w["benchmarks.highlight_ratio"],
    )


def move_totals(before: Mapping[int, Totals], moving: Totals, *, source: int, to: int) -> dict[int, Totals]:
    """``move`` on sums: the families of ``moving`` (all with ``source`` now) would be with ``to`` (nothing saved)."""
    if to not in before or source not in before:
        raise ValueError("choose a practitioner in the team to move the families to")
    if moving.families < 1:
        raise ValueError("choose one or more families on the team's caseloads")
    after = dict(before)
    after[source] = before[source] - moving
    after[to] = after[to] + moving
    return after


def move(caseloads: Sequence[Caseload], family_ids: Iterable[int], to: int) -> list[Caseload]:
    """What the caseloads would be if these families moved to practitioner ``to`` (nothing is saved)."""
    moving = set(family_ids)
    if to not in {c.practitioner_id for c in caseloads}:
        raise ValueError("choose a practitioner in the team to move the families to")
    found = {f.family_id for c in caseloads for f in c.families}
    if not moving or not moving <= found:
        raise ValueError("choose one or more families on the team's caseloads")
    moved = tuple(f for c in caseloads for f in c.families if f.family_id in moving)
    result = []
    for c in caseloads:
        kept = tuple(f for f in c.families if f.family_id not in moving)
        result.append(replace(c, families=kept + moved if c.practitioner_id == to else kept))
    return result
