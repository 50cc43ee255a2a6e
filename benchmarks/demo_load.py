"""Time the demo load (every app's step) at a given size, on SQLite or a throwaway PostgreSQL cluster.

    .venv/bin/python benchmarks/demo_load.py [--postgres] [--children 50000] [--progress]

Prints the summary line of ``pimh demo`` and the load average before and after (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.caseload import configure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--children", type=int, default=50_000)
    parser.add_argument("--progress", action="store_true", help="draw the progress bar on stderr")
    args = parser.parse_args()
    configure(args.postgres)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from pimh.demo.loader import load_demo

    before = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    summary = load_demo(children=args.children, **({"progress": True} if args.progress else {}))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {database}")
    print(summary.describe())
    print({k: v for k, v in summary.counts.items()})
    print(
        f"demo load: {seconds:.1f} s ({cpu:.1f} s of this process's CPU); load average {before:.1f} before, {os.getloadavg()[0]:.1f} after"
    )


if __name__ == "__main__":
    main()
