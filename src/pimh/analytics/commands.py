"""``pimh synth`` (a synthetic national snapshot) and ``pimh indicators`` (the indicator pack).

Neither needs the service database. Pure imports only: the heavy libraries load inside the commands.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from pimh.cli import UsageError, command, whole_number

MAX_SYNTH_CHILDREN = 10_000_000
FORMATS = ("json", "csv", "xlsx", "html")
ENGINES = ("duckdb", "spark")
NBV_SETTING = "PIMH_NBV_WITHIN_DAYS"


class ProgressBar:
    """One line on stderr, redrawn in place: ``[########      ]  45%  step``."""

    def __init__(self, width: int = 30) -> None:
        self.width = width
        self.started = time.monotonic()

    def __call__(self, step: str, fraction: float) -> None:
        filled = round(self.width * fraction)
        line = f"\r[{'#' * filled}{' ' * (self.width - filled)}] {100 * fraction:3.0f}%  {time.monotonic() - self.started:5.1f} s  {step:<24}"
        sys.stderr.write(line + ("\n" if fraction >= 1 else ""))
        sys.stderr.flush()


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date written YYYY-MM-DD, not {text!r}") from None


_iso_date.__name__ = "date"


def _synth_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--children", type=whole_number(1, MAX_SYNTH_CHILDREN), required=True,
                        help=f"children aged 0-5 at the extract date, 1 to {MAX_SYNTH_CHILDREN:,}")  # fmt: skip
    parser.add_argument("--out", type=Path, required=True, help="folder to write the snapshot to")
    parser.add_argument("--seed", type=whole_number(0, 2**32 - 1), default=1, help="random seed (default 1)")
    parser.add_argument("--extract-date", type=_iso_date, default=None,
                        help="the day the snapshot describes (default 2026-11-23)")  # fmt: skip


@command("synth", "write a synthetic national analytics snapshot (no database)", arguments=_synth_arguments,
         needs_django=False)  # fmt: skip
def run_synth(args: argparse.Namespace) -> int:
    from pimh.analytics import snapshot, synth

    out: Path = args.out
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / snapshot.MANIFEST).exists():
        raise UsageError(f"{out} is not empty and holds no snapshot: refusing to write into it")
    manifest = synth.synthesise(
        out, children=args.children, seed=args.seed, extract_date=args.extract_date or synth.DEFAULT_EXTRACT,
        progress=ProgressBar(),
    )  # fmt: skip
    counts = ", ".join(f"{name} {count:,}" for name, count in manifest["tables"].items())
    print(f"Wrote {out} ({snapshot.SCHEMA}, seed {args.seed}, extract date {manifest['extract_date']}) "
          f"in {manifest['seconds']} s: {counts}")  # fmt: skip
    return 0


def _indicator_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--snapshot", type=Path, required=True, help="snapshot folder (pimh-snapshot/1)")
    parser.add_argument("--quarter", required=True, help="financial-year quarter, e.g. FY2026Q1 = April-June 2026")
    parser.add_argument("--disclosure", choices=["nhsd-2018", "mhsds", "none"], default="nhsd-2018",
                        help="disclosure control below national level (default nhsd-2018)")  # fmt: skip
    parser.add_argument("--by", default="", help="a breakdown, or two crossed: e.g. local_authority,imd_quintile")
    parser.add_argument("--engine", choices=ENGINES, default="duckdb", help="query engine (default duckdb)")
    parser.add_argument("--format", choices=FORMATS, default="json", help="output format (default json)")
    parser.add_argument("--out", type=Path, default=None, help="write to this file instead of standard output")
    parser.add_argument("--nbv-within-days", type=whole_number(0, 30), default=None,
                        help=f"C2: the NBV counts when on or before date of birth + this many days "
                             f"(default ${NBV_SETTING}, else 14)")  # fmt: skip


def _nbv_days(args: argparse.Namespace) -> int:
    if args.nbv_within_days is not None:
        return int(args.nbv_within_days)
    raw = os.environ.get(NBV_SETTING, "14")
    if not raw.strip().isdigit() or not 0 <= int(raw) <= 30:
        raise UsageError(f"{NBV_SETTING} must be a whole number of days from 0 to 30, not {raw!r}")
    return int(raw)


@command("indicators", "compute the national health visiting metrics and PIMH quality standards from a snapshot",
         arguments=_indicator_arguments, needs_django=False)  # fmt: skip
def run_indicators(args: argparse.Namespace) -> int:
    from pimh.analytics import engine, output, report
    from pimh.analytics.indicators import Settings, parse_quarter
    from pimh.analytics.snapshot import SnapshotError, extract_date, read_manifest

    try:
        quarter = parse_quarter(args.quarter)
        by = report.parse_breakdown(args.by)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if args.format == "xlsx" and args.out is None:
        raise UsageError("--format xlsx needs --out FILE")
    settings = Settings(nbv_within_days=_nbv_days(args))
    try:
        extract = extract_date(read_manifest(args.snapshot))
        if quarter.end > extract:
            raise UsageError(f"{quarter.label} ends on {quarter.end} after the snapshot's extract date {extract}")
        if args.engine == "spark":
            try:
                import pyspark  # noqa: F401
            except ImportError:
                raise UsageError("--engine spark needs pyspark (the dev dependency group)") from None
        src = engine.open_snapshot(args.snapshot, args.engine)
    except SnapshotError as error:
        raise UsageError(str(error)) from None
    pack = report.build_pack(src, quarter, breakdowns=[by], disclosure_preset=args.disclosure, settings=settings)
    for check in pack["data_quality"]:
        mark = "ok  " if check["passed"] else "FAIL"
        print(f"data quality {mark} {check['check']}: {check['detail']}", file=sys.stderr)
    content = output.render(pack, args.format)
    if args.out is None:
        sys.stdout.write(content if isinstance(content, str) else content.decode())
    else:
        args.out.write_bytes(content.encode() if isinstance(content, str) else content)
        print(f"Wrote {args.out} ({args.format}, {len(pack['indicators'])} rows, disclosure {args.disclosure})")
    return 0


def _snapshot_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="folder to write the snapshot to")
    parser.add_argument(
        "--extract-date", type=_iso_date, default=None, help="the day the snapshot describes (default today)"
    )


@command("snapshot", "write the service database as a pseudonymised analytics snapshot (pimh-snapshot/1)",
         arguments=_snapshot_arguments, needs_django=True)  # fmt: skip
def run_snapshot(args: argparse.Namespace) -> int:
    from pimh.analytics import export, snapshot

    out: Path = args.out
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / snapshot.MANIFEST).exists():
        raise UsageError(f"{out} is not empty and holds no snapshot: refusing to write into it")
    try:
        manifest = export.write(out, extract_date=args.extract_date, progress=ProgressBar())
    except export.ExportError as error:
        raise UsageError(str(error)) from None
    counts = ", ".join(f"{name} {count:,}" for name, count in manifest["tables"].items())
    print(f"Wrote {out} ({snapshot.SCHEMA}, pseudonymised, extract date {manifest['extract_date']}): {counts}")
    return 0
