"""Time the workforce Monte Carlo: 150 areas x 10,000 draws, vectorised over draws and areas, against the
obvious alternative (a Python loop over the draws, each evaluating the model for all areas), in the same run.
Also times one specialist waits simulation and the search for the WTE needed.

    .venv/bin/python benchmarks/workforce.py [--areas 150] [--draws 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pimh.workforce import model, uncertainty, waits  # noqa: E402
from pimh.workforce.params import load_parameters  # noqa: E402


def areas(n: int) -> model.Areas:
    rng = np.random.default_rng(0)
    births = rng.uniform(500, 12_000, n)
    children = births * 5
    shares = (0.88, 0.06, 0.03, 0.01)
    return model.Areas(
        tuple(f"E{i:08d}" for i in range(n)),
        births,
        {g: children * s * 0.97 for g, s in zip(model.GROUPS, shares, strict=True)},
        {g: children * s * 0.4 for g, s in zip(model.GROUPS, shares, strict=True)},
        {g: children * s * 0.03 for g, s in zip(model.GROUPS, shares, strict=True)},
        children * 0.2,
        np.full(n, np.nan),
    )


def looped(a: model.Areas, draws: int, seed: int) -> np.ndarray:
    params = load_parameters()
    sampled = params.sample(draws, np.random.default_rng(seed))
    rows = [model.demand(a, {k: float(v[i, 0]) for k, v in sampled.items()}).wte for i in range(draws)]
    return np.percentile(np.array(rows), [5, 50, 95], axis=0)


def timed(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--areas", type=int, default=150)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    a, params = areas(args.areas), load_parameters()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )
    print("(shared machine: other agents were running; treat the figures as upper bounds)")
    vector = timed(lambda: uncertainty.monte_carlo(a, params, draws=args.draws, seed=1), args.runs)
    print(f"Monte Carlo, vectorised, {args.areas} areas x {args.draws:,} draws: median {vector * 1000:.0f} ms")
    loop = timed(lambda: looped(a, args.draws, 1), 1)
    print(f"Alternative, Python loop over draws: {loop * 1000:.0f} ms ({loop / vector:.0f}x slower)")
    tornado = timed(lambda: uncertainty.tornado(a, params), args.runs)
    print(f"Tornado ({len(params.uncertain())} parameters): median {tornado * 1000:.0f} ms")
    config = waits.WaitsConfig(arrivals_per_week=5, specialist_wte=3.0, seed=1)
    sim = timed(lambda: waits.simulate(config), args.runs)
    print(f"Waits simulation, 5 referrals/week over 10 years: median {sim * 1000:.0f} ms")
    search = timed(lambda: waits.wte_needed(config), 1)
    print(f"WTE needed search (same settings): {search * 1000:.0f} ms")


if __name__ == "__main__":
    main()
