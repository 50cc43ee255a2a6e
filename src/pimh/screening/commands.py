"""``pimh score`` and ``pimh instruments``: pure scoring from the command line (no database).

EPDS item text is never printed: only codes, versions, thresholds and sources.
"""

from __future__ import annotations

import argparse
import json

from pimh.cli import UsageError, command
from pimh.screening import instruments, thresholds

ROLES = ("mother", "father", "partner")


def _score_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("instrument", help=f"instrument code: {', '.join(sorted(instruments.REGISTRY))}")
    parser.add_argument(
        "--answers",
        required=True,
        help="comma-separated option positions, 0 = first option on the official form, '-' for an unanswered item "
        "(e.g. 0,1,3 or 1,-)",
    )
    parser.add_argument(
        "--role",
        choices=ROLES,
        default="mother",
        help="whose questionnaire: a father's or partner's cut-offs may differ (default mother)",
    )
    parser.add_argument(
        "--thresholds",
        metavar="FILE",
        help="a thresholds JSON file (as SCREENING_THRESHOLDS_FILE); default: the built-in default set",
    )


def _parse_answers(text: str) -> list[int | None]:
    parts = [part.strip() for part in text.split(",")]
    answers: list[int | None] = []
    for part in parts:
        if part == "-":
            answers.append(None)
            continue
        try:
            answers.append(int(part))
        except ValueError:
            raise UsageError(
                f"answers must be whole numbers or '-' (unanswered) separated by commas, not {part!r}"
            ) from None
    return answers


def _thresholds(path: str | None) -> instruments.Thresholds:
    if not path:
        return instruments.DEFAULT_THRESHOLDS
    try:
        return thresholds.load(path)
    except thresholds.ThresholdsError as error:
        raise UsageError(str(error)) from None


@command(
    "score", "score one questionnaire from its answers (prints JSON)", arguments=_score_arguments, needs_django=False
)
def run_score(args: argparse.Namespace) -> int:
    try:
        instrument = instruments.get(args.instrument)
    except KeyError as error:
        raise UsageError(str(error.args[0])) from None
    answers = _parse_answers(args.answers)
    configured = _thresholds(args.thresholds)
    try:
        result = instruments.score(instrument, answers, thresholds=configured, role=args.role)
    except instruments.ScoringError as error:
        raise UsageError(str(error)) from None
    print(
        json.dumps(
            {
                "instrument": result.instrument,
                "total": result.total,
                "band": result.band,
                "positive": result.positive,
                "risk_item_flag": result.risk_item_flag,
                "complete": result.complete,
                "total_at_least": result.total_at_least,
                "risk_item_unanswered": result.risk_item_flag is None,
                "role": args.role,
                "cutoff": result.cutoff,
                "thresholds_version": result.thresholds_version,
            }
        )
    )
    return 0


def _instruments_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


@command(
    "instruments",
    "list the screening instruments with versions, thresholds and sources",
    arguments=_instruments_arguments,
    needs_django=False,
)
def run_instruments(args: argparse.Namespace) -> int:
    configured = instruments.DEFAULT_THRESHOLDS
    rows = [
        {
            "code": i.code,
            "name": i.name,
            "version": i.version,
            "items": len(i.items),
            "positive_threshold": configured.positive_for(i.code),
            "father_or_partner_threshold": configured.for_role("father").positive_for(i.code),
            "severe_threshold": configured.severe_for(i.code),
            "thresholds_version": configured.version,
            "bands": [[low, label] for low, label in configured.bands_for(i)],
            "risk_item": i.risk_item,
            "source": i.source,
            "licence": i.licence,
        }
        for i in instruments.REGISTRY.values()
    ]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    print(f"Thresholds version {configured.version} (positive: mother / father or partner)")
    print(f"{'code':<8} {'version':<8} {'items':>5} {'positive':>8} {'risk item':>9}  source")
    for row in rows:
        risk = "-" if row["risk_item"] is None else str(row["risk_item"])
        print(
            f"{row['code']:<8} {row['version']:<8} {row['items']:>5} "
            f"{'>=' + str(row['positive_threshold']) + '/' + str(row['father_or_partner_threshold']):>8} "
            f"{risk:>9}  {row['source']}"
        )
    return 0
