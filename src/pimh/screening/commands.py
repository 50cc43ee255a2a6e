"""``pimh score`` and ``pimh instruments``: pure scoring from the command line (no database).

EPDS item text is never printed: only codes, versions, thresholds and sources.
"""

from __future__ import annotations

import argparse
import json

from pimh.cli import UsageError, command
from pimh.screening import instruments


def _score_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("instrument", help=f"instrument code: {', '.join(sorted(instruments.REGISTRY))}")
    parser.add_argument(
        "--answers",
        required=True,
        help="comma-separated option positions, 0 = first option on the official form (e.g. 0,1,3)",
    )


def _parse_answers(text: str) -> list[int]:
    parts = [part.strip() for part in text.split(",")]
    answers = []
    for part in parts:
        try:
            answers.append(int(part))
        except ValueError:
            raise UsageError(f"answers must be whole numbers separated by commas, not {part!r}") from None
    return answers


@command(
    "score", "score one questionnaire from its answers (prints JSON)", arguments=_score_arguments, needs_django=False
)
def run_score(args: argparse.Namespace) -> int:
    try:
        instrument = instruments.get(args.instrument)
    except KeyError as error:
        raise UsageError(str(error.args[0])) from None
    answers = _parse_answers(args.answers)
    try:
        result = instruments.score(instrument, answers)
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
    thresholds = instruments.DEFAULT_THRESHOLDS
    rows = [
        {
            "code": i.code,
            "name": i.name,
            "version": i.version,
            "items": len(i.items),
            "positive_threshold": thresholds.positive_for(i.code),
            "thresholds_version": thresholds.version,
            "bands": [[low, label] for low, label in thresholds.bands_for(i)],
            "risk_item": i.risk_item,
            "source": i.source,
            "licence": i.licence,
        }
        for i in instruments.REGISTRY.values()
    ]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    print(f"Thresholds version {thresholds.version}")
    print(f"{'code':<8} {'version':<8} {'items':>5} {'positive':>8} {'risk item':>9}  source")
    for row in rows:
        risk = "-" if row["risk_item"] is None else str(row["risk_item"])
        print(
            f"{row['code']:<8} {row['version']:<8} {row['items']:>5} {'>=' + str(row['positive_threshold']):>8} "
            f"{risk:>9}  {row['source']}"
        )
    return 0
