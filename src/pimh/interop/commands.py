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


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="families, people and contacts CSV files")
    parser.add_argument(
        "--valid-only",
        action="store_true",
        help="import the valid rows and report the rest (default: nothing is imported unless every row is valid)",
    )
    parser.add_argument(
        "--report",
        type=Path,
        default=Path("import-problems.csv"),
        help="where to write the problems found, as CSV file,line,column,reason (default import-problems.csv)",
    )
    parser.add_argument("--no-progress", action="store_true", help="do not draw the progress bar")


@command(
    "import",
    "import a caseload from another system's CSV files (families, people, contacts)",
    arguments=_import_arguments,
    needs_django=True,
)
def run_import(args: argparse.Namespace) -> int:
    from pimh.interop import importer

    try:
        outcome = importer.run(
            args.files,
            by=None,
            valid_only=args.valid_only,
            report=args.report,
            progress=None if args.no_progress else importer.progress_bar(),
        )
    except importer.ImportRefused as error:
        raise UsageError(str(error)) from None
    imported = ", ".join(f"{outcome.imported[kind]:,} {kind}" for kind in outcome.imported)
    repeats = sum(outcome.repeats.values())
    print(f"Checked {outcome.rows:,} rows: imported {imported}; {repeats:,} imported before, skipped.")
    if outcome.problems:
        print(f"{len(outcome.problems):,} problems written to {args.report}.")
        if not args.valid_only:
            raise UsageError(
                f"{len(outcome.problems):,} problems in the files: nothing imported "
                f"(see {args.report}; --valid-only imports the valid rows)"
            )
    return 0
