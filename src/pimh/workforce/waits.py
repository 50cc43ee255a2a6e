"""Waits for the specialist PIMH service: a seeded SimPy discrete-event simulation (pure: no Django).

Referrals arrive as a Poisson process. Each waits, first come first served, for an assessment slot
(``slots = floor(WTE x assessment slots per WTE)``), holds it for an exponential time, and a share then
wait for a treatment place (``places = floor(WTE x caseload per WTE)``), held for an exponential time.
The assessment stage alone is therefore an M/M/c queue, which the tests check against Erlang C.

Waits are measured from referral: to the start of assessment (against the assessment standard) and to the
start of treatment (against the treatment standard). Referrals arriving in the warm-up are not counted,
nor those arriving so late that the longest standard would run past the end; a counted referral still
waiting at the end is a known breach and counts with the wait it had reached.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import simpy

Floats = npt.NDArray[np.float64]
WTE_STEP = 0.1
MAX_WTE = 500.0
MAX_REFERRALS = 1_000_000


@dataclass(frozen=True)
class WaitsConfig:
    arrivals_per_week: float
    specialist_wte: float
    assessment_slots_per_wte: float = 2.0
    assessment_weeks: float = 1.0
    treatment_share: float = 0.7
    caseload_per_wte: float = 15.0
    treatment_weeks: float = 12.0
    assessment_standard_weeks: float = 2.0
    treatment_standard_weeks: float = 6.0
    target_share: float = 0.9
    weeks: float = 520.0
    warmup_weeks: float = 52.0
    seed: int = 1

    def check(self) -> None:
        positive = ("arrivals_per_week", "assessment_slots_per_wte", "assessment_weeks", "caseload_per_wte", "weeks")
        for name in positive:
            if not getattr(self, name) > 0:
                raise ValueError(f"{name.replace('_', ' ')} must be more than 0")
        if self.specialist_wte < 0 or self.treatment_weeks <= 0 or self.warmup_weeks < 0:
            raise ValueError("specialist WTE, treatment weeks and warm-up must not be negative")
        if self.arrivals_per_week * (self.weeks + self.warmup_weeks) > MAX_REFERRALS:
            raise ValueError(f"more than {MAX_REFERRALS:,} referrals to simulate: use fewer weeks")
        if not 0 <= self.treatment_share <= 1 or not 0 < self.target_share <= 1:
            raise ValueError("treatment share must be from 0 to 1 and target share more than 0 and at most 1")

    @property
    def assessment_slots(self) -> int:
        return math.floor(self.specialist_wte * self.assessment_slots_per_wte + 1e-9)

    @property
    def treatment_places(self) -> int:
        return math.floor(self.specialist_wte * self.caseload_per_wte + 1e-9)


@dataclass(frozen=True)
class WaitSummary:
    count: int
    within_standard: float  # share of counted referrals that started within the standard
    p50: float
    p90: float
    p95: float
    mean: float
    still_waiting: int


@dataclass(frozen=True)
class WaitsResult:
    config: WaitsConfig
    assessment: WaitSummary
    treatment: WaitSummary
    assessment_waits: Floats
    treatment_waits: Floats

    @property
    def meets_standards(self) -> bool:
        target = self.config.target_share
        return self.assessment.within_standard >= target and (
            self.treatment.count == 0 or self.treatment.within_standard >= target
        )


def _summary(waits: Floats, standard: float, still_waiting: int) -> WaitSummary:
    if waits.size == 0:
        return WaitSummary(0, 1.0, 0.0, 0.0, 0.0, 0.0, 0)
    p50, p90, p95 = (float(x) for x in np.percentile(waits, [50, 90, 95]))
    within = float(np.mean(waits <= standard))
    return WaitSummary(int(waits.size), within, p50, p90, p95, float(waits.mean()), still_waiting)


def simulate(config: WaitsConfig) -> WaitsResult:
    """Run the simulation once; the same config (seed included) always gives the same result."""
    config.check()
    rng = np.random.default_rng(config.seed)
    horizon = config.warmup_weeks + config.weeks
    expected = config.arrivals_per_week * horizon
    gaps = rng.exponential(1.0 / config.arrivals_per_week, size=int(expected + 10 * math.sqrt(expected) + 100))
    arrivals = np.cumsum(gaps)
    arrivals = arrivals[arrivals < horizon]
    n = arrivals.size
    assess_time = rng.exponential(config.assessment_weeks, size=n)
    treated = rng.random(n) < config.treatment_share
    treat_time = rng.exponential(config.treatment_weeks, size=n)

    assess_start = np.full(n, np.nan)
    treat_start = np.full(n, np.nan)
    env = simpy.Environment()
    slots = simpy.Resource(env, capacity=max(config.assessment_slots, 1)) if config.assessment_slots else None
    places = simpy.Resource(env, capacity=max(config.treatment_places, 1)) if config.treatment_places else None

    def referral(i: int) -> Generator[simpy.Event, None, None]:
        if slots is None:
            return
        with slots.request() as slot:
            yield slot
            assess_start[i] = env.now
            yield env.timeout(assess_time[i])
        if treated[i] and places is not None:
            with places.request() as place:
                yield place
                treat_start[i] = env.now
                yield env.timeout(treat_time[i])

    def source() -> Generator[simpy.Event, None, None]:
        for i in range(n):
            yield env.timeout(arrivals[i] - env.now)
            env.process(referral(i))

    env.process(source())
    env.run(until=horizon)

    last = horizon - max(config.assessment_standard_weeks, config.treatment_standard_weeks)
    counted = (arrivals >= config.warmup_weeks) & (arrivals <= last)
    waiting_a = counted & np.isnan(assess_start)
    a_waits = np.where(np.isnan(assess_start), horizon, assess_start)[counted] - arrivals[counted]
    needs_t = counted & treated
    waiting_t = needs_t & np.isnan(treat_start)
    t_waits = np.where(np.isnan(treat_start), horizon, treat_start)[needs_t] - arrivals[needs_t]
    return WaitsResult(
        config,
        _summary(a_waits, config.assessment_standard_weeks, int(waiting_a.sum())),
        _summary(t_waits, config.treatment_standard_weeks, int(waiting_t.sum())),
        a_waits,
        t_waits,
    )


def wte_needed(config: WaitsConfig) -> float | None:
    """The smallest specialist WTE (in steps of 0.1) at which both standards are met for the target share
    of referrals, with the same seed (common random numbers) at every step; None if even MAX_WTE is not
    enough (a standard shorter than the assessment itself, say). Doubling from the load below which the
    queues grow without limit, then halving the interval: about 20 simulations, not thousands."""
    config.check()
    assess_load = config.arrivals_per_week * config.assessment_weeks / config.assessment_slots_per_wte
    treat_load = config.arrivals_per_week * config.treatment_share * config.treatment_weeks / config.caseload_per_wte
    limit = round(MAX_WTE / WTE_STEP)

    def meets(steps: int) -> bool:
        return simulate(replace(config, specialist_wte=round(steps * WTE_STEP, 1))).meets_standards

    low = max(math.floor(max(assess_load, treat_load) / WTE_STEP + 1e-9), 1) - 1  # known or assumed to fail
    high = low + 1
    while not meets(high):
        if high >= limit:
            return None
        low, high = high, min(limit, low + 2 * (high - low) + 1)
    while high - low > 1:
        middle = (low + high) // 2
        if meets(middle):
            high = middle
        else:
            low = middle
    return round(high * WTE_STEP, 1)


def erlang_c(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Erlang C: the probability that an arrival has to wait in an M/M/c queue (needs load < servers)."""
    load = arrival_rate / service_rate
    if load >= servers:
        return 1.0
    term, total = 1.0, 1.0
    for k in range(1, servers):
        term *= load / k
        total += term
    last = term * load / servers / (1.0 - load / servers)
    return last / (total + last)


def mmc_wait_within(servers: int, arrival_rate: float, service_rate: float, t: float) -> float:
    """P(wait <= t) in an M/M/c queue: 1 - C x exp(-(c mu - lambda) t)."""
    c = erlang_c(servers, arrival_rate, service_rate)
    return 1.0 - c * math.exp(-(servers * service_rate - arrival_rate) * t)


def mmc_mean_wait(servers: int, arrival_rate: float, service_rate: float) -> float:
    return erlang_c(servers, arrival_rate, service_rate) / (servers * service_rate - arrival_rate)
