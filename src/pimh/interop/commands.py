"""``pimh csds extract`` (the monthly CSDS v1.6 extract) and ``pimh import`` (a caseload from CSV files).

Pure imports only: Django is set up by ``pimh.cli`` for the commands that need it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pimh.cli import UsageError, command
from pimh.interop import csds


def reporting_month(text: str) -> csds.Period:
    try:
        return csds.month(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


reporting_month.__name__ = "month"


def _csds_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, title="actions")
    extract = actions.add_parser(
        "extract",
        help="write the month's CSDS v1.6 tables as CSV files",
        description="Write one CSV per CSDS v1.6 table for the month, a mapping file, row counts and a "
        "reconciliation of mandated contacts. Refused whole if referential integrity is broken.",
    )
    extract.add_argument("--month", type=reporting_month, required=True, help="reporting month, YYYY-MM")
    extract.add_argument("--out", type=Path, required=True, help="directory to write the CSV files into")


@command("csds", "Community Services Data Set extract (ACTION: extract)", arguments=_csds_arguments, needs_django=True)
def run_csds(args: argparse.Namespace) -> int:
    from pimh.interop import extract

    out: Path = args.out
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a directory")
    if out.is_dir() and any(out.iterdir()):
        raise UsageError(f"--out {out} is not empty: choose a new directory")
    built = extract.build(args.month)
    try:
        extract.write(built, out)
    except extract.ExtractRefused as error:
        raise UsageError(str(error)) from None
    counts = built.counts
    print(f"CSDS v{csds.DATA_SET_VERSION} extract for {args.month.label} written to {out}:")
    for table, rows in counts.items():
        print(f"  {table:<30} {rows:>8,} rows")
    for note in built.notes:
        print(f"  Note: {note}")
    return 0
