"""Monte Carlo uncertainty and one-at-a-time sensitivity (tornado) for the demand model (pure)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pimh.workforce import model
from pimh.workforce.params import ParameterSet

Floats = npt.NDArray[np.float64]
PERCENTILES = (5.0, 50.0, 95.0)
MAX_DRAWS = 100_000


@dataclass(frozen=True)
class Interval:
    p05: Floats
    p50: Floats
    p95: Floats


@dataclass(frozen=True)
class Simulation:
    """WTE required: per area and in total, central (every parameter at its value) and its percentiles."""

    draws: int
    seed: int
    central: Floats  # (areas,)
    areas: Interval  # each (areas,)
    total_central: float
    total: Interval  # each shape ()


def monte_carlo(areas: model.Areas, params: ParameterSet, *, draws: int, seed: int) -> Simulation:
    """Draw every uncertain parameter ``draws`` times (the same draw for every area: the parameters are
    shared, so area totals are correlated) and summarise the WTE required."""
    if not 1 <= draws <= MAX_DRAWS:
        raise ValueError(f"draws must be from 1 to {MAX_DRAWS:,}")
    central = model.demand(areas, params.values()).wte
    rng = np.random.default_rng(seed)
    wte = model.demand(areas, params.sample(draws, rng)).wte  # (draws, areas)
    per_area = np.percentile(wte, PERCENTILES, axis=0)
    totals = np.percentile(wte.sum(axis=1), PERCENTILES)
    return Simulation(
        draws,
        seed,
        central,
        Interval(per_area[0], per_area[1], per_area[2]),
        float(central.sum()),
        Interval(totals[0], totals[1], totals[2]),
    )


@dataclass(frozen=True)
class TornadoBar:
    name: str
    low: float
    high: float
    total_at_low: float
    total_at_high: float

    @property
    def swing(self) -> float:
        return abs(self.total_at_high - self.total_at_low)


def tornado(areas: model.Areas, params: ParameterSet) -> list[TornadoBar]:
    """Total WTE required with each uncertain parameter at its low and at its high value, the others at
    their central values; the largest swing first."""
    base = params.values()
    bars = []
    for p in params.uncertain():
        assert p.low is not None and p.high is not None
        totals = [float(model.demand(areas, {**base, p.name: value}).wte.sum()) for value in (p.low, p.high)]
        bars.append(TornadoBar(p.name, p.low, p.high, totals[0], totals[1]))
    return sorted(bars, key=lambda bar: (-bar.swing, bar.name))
