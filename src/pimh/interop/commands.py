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


def _fhir_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, title="actions")
    imports = actions.add_parser(
        "import",
        help="register a family from a FHIR R4 Bundle of Patient and RelatedPerson resources (JSON)",
        description="Check the bundle (FHIR R4, UK Core, the services' rules) and register its family in the "
        "team. Nothing is saved if there is any problem; each is printed with its FHIR path. A bundle "
        "imported before (same NHS numbers, names and dates of birth) changes nothing.",
    )
    imports.add_argument("file", type=Path, metavar="FILE", help="a FHIR Bundle as JSON")
    imports.add_argument("--team", required=True, help="the team (name or id) whose caseload the family joins")
    imports.add_argument("--hv", default="", help="username of the health visitor to allocate (a team member)")


@command("fhir", "FHIR R4 (UK Core) interchange (ACTION: import)", arguments=_fhir_arguments, needs_django=True)
def run_fhir(args: argparse.Namespace) -> int:
    import json
    import sys

    from pimh.core.models import Team, User
    from pimh.interop.fhir import importer

    try:
        bundle = json.loads(args.file.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"cannot read {args.file}: {error.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"{args.file} is not JSON: {error}") from None
    lookup = {"pk": int(args.team)} if args.team.isdigit() else {"name": args.team}
    team = Team.objects.filter(**lookup).first()
    if team is None:
        raise UsageError(f"no team {args.team!r}")
    hv = None
    if args.hv:
        hv = User.objects.filter(username=args.hv, teams=team).first()
        if hv is None:
            raise UsageError(f"no member of {team.name} with username {args.hv!r}")
    try:
        imported = importer.import_bundle(bundle, by=None, team=team, allocated_hv=hv)
    except importer.ImportRefused as error:
        raise UsageError(str(error)) from None
    except importer.ImportProblems as error:
        for problem in error.problems:
            print(f"pimh: {args.file}: {problem}", file=sys.stderr)
        raise UsageError(f"{len(error.problems)} problems in {args.file}: nothing imported") from None
    if imported.created:
        print(f"Registered family {imported.family.reference} with {len(imported.people)} people.")
    else:
        print(f"Imported before: family {imported.family.reference}; nothing changed.")
    return 0
