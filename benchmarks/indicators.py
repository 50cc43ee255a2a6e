"""Benchmark: ``pimh synth`` of a national population, then the full indicator pack with every single
breakdown on DuckDB and on a straightforward pandas implementation of the same definitions (results
must be equal). Prints the figures recorded in docs/performance.md.

    .venv/bin/python benchmarks/indicators.py [--children 3300000] [--snapshot DIR] [--skip-synth]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from indicators_pandas import aggregate as pandas_aggregate
from indicators_pandas import load, pack_units

from pimh.analytics import engine, report
from pimh.analytics.indicators import DIMENSIONS, Settings, parse_quarter

QUARTER = "FY2026Q1"
BREAKDOWNS = [[name] for name in DIMENSIONS]


class PeakRSS:
    """Samples this process's resident memory every 50 ms; ``peak`` in MiB since ``reset``."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = False
        threading.Thread(target=self._run, daemon=True).start()

    @staticmethod
    def now() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def reset(self) -> None:
        self.peak = self.now()

    def _run(self) -> None:
        while not self._stop:
            self.peak = max(self.peak, self.now())
            time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=3_300_000)
    parser.add_argument("--snapshot", type=Path, default=None)
    parser.add_argument("--skip-synth", action="store_true", help="reuse an existing --snapshot")
    args = parser.parse_args()
    folder = args.snapshot or Path(tempfile.mkdtemp(prefix="pimh-bench-")) / "national"
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f} at start (shared with other agents)")  # fmt: skip

    if not args.skip_synth:
        pimh = Path(sys.executable).parent / "pimh"
        started = time.monotonic()
        command = [str(pimh), "synth", "--children", str(args.children), "--out", str(folder), "--seed", "1"]
        subprocess.run(command, check=True, stderr=subprocess.DEVNULL)  # noqa: S603 (our own command)
        seconds = time.monotonic() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"pimh synth --children {args.children:,}: {seconds:.1f} s, peak memory {peak:,.0f} MiB")

    memory = PeakRSS()
    quarter = parse_quarter(QUARTER)

    # A service process imports these once; the pack's time is the pack's own work (a cold import of
    # statsmodels, used for the Wilson intervals, costs about a second).
    import statsmodels.stats.proportion  # noqa: F401

    memory.reset()
    started, cpu = time.monotonic(), time.process_time()
    source = engine.open_snapshot(folder, "duckdb")
    pack = report.build_pack(source, quarter, breakdowns=BREAKDOWNS, checks=False)
    duck_seconds, duck_cpu = time.monotonic() - started, time.process_time() - cpu
    duck_peak = memory.peak
    wanted = [[], *BREAKDOWNS]
    units = engine.all_units(source, quarter, Settings())
    on_duckdb = {}
    for by, rows in zip(wanted, engine.aggregate_many(units, wanted), strict=True):
        for row in rows:
            on_duckdb[(row["code"], *[row[name] for name in by])] = (row["num"], row["den"], row["aux"])
    print(f"DuckDB: full pack, overall + {len(BREAKDOWNS)} single breakdowns ({len(pack['indicators']):,} rows): "
          f"{duck_seconds:.1f} s ({duck_cpu:.1f} s CPU), peak memory {duck_peak:,.0f} MiB, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip

    memory.reset()
    started, cpu = time.monotonic(), time.process_time()
    tables = load(folder)
    unit_rows = pack_units(tables, quarter, Settings())
    on_pandas = {}
    for by in [[], *BREAKDOWNS]:
        on_pandas.update(pandas_aggregate(unit_rows, by))
    pandas_seconds, pandas_cpu = time.monotonic() - started, time.process_time() - cpu
    pandas_peak = memory.peak
    print(f"pandas: same definitions, same breakdowns: {pandas_seconds:.1f} s ({pandas_cpu:.1f} s CPU), "
          f"peak memory {pandas_peak:,.0f} MiB, load average {os.getloadavg()[0]:.1f}")  # fmt: skip

    equal = on_pandas == on_duckdb
    print(f"Results equal: {equal} ({len(on_duckdb):,} cells)")
    print(f"Ratio: DuckDB {pandas_seconds / duck_seconds:.1f}x faster than pandas "
          f"({pandas_cpu / duck_cpu:.1f}x less CPU time)")  # fmt: skip
    if not equal:
        differing = sorted(set(on_pandas.items()) ^ set(on_duckdb.items()))[:10]
        print("First differences:", differing)
        sys.exit(1)


if __name__ == "__main__":
    main()
