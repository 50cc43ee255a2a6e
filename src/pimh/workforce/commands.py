"""``pimh workforce``: the demand model from a snapshot, ``pimh workforce params`` and
``pimh workforce waits``. Pure imports only (no database is needed)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pimh.cli import UsageError, command, whole_number
from pimh.workforce import params as parameters
from pimh.workforce import report, uncertainty, waits
from pimh.workforce.snapshot import SnapshotError, build_areas, read_snapshot


def positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, not {text!r}") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


positive_number.__name__ = "number"


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--params", default=parameters.DEFAULT_VERSION, help="parameter version (default %(default)s)")
    parser.add_argument("--snapshot", type=Path, help="snapshot folder (pimh-snapshot/1)")
    parser.add_argument("--scenario", type=Path, help="scenario TOML file overriding some parameters")
    parser.add_argument(
        "--draws", type=whole_number(1, uncertainty.MAX_DRAWS), default=10_000, help="Monte Carlo draws (10,000)"
    )
    parser.add_argument("--seed", type=whole_number(0, 2**32 - 1), default=1, help="random seed (default 1)")
    parser.add_argument(
        "--format",
        choices=sorted([*report.FORMATS, *report.BINARY_FORMATS]),
        default="json",
        help="output format (json)",
    )
    parser.add_argument("--out", type=Path, help="write to this file instead of standard output")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", title="actions")
    listing = actions.add_parser("params", help="print the parameters with units and sources")
    listing.add_argument("--json", action="store_true", help="as JSON")
    w = actions.add_parser(
        "waits",
        help="simulate waits for the specialist PIMH service",
        description="Simulate waits for the specialist PIMH service (SimPy, seeded) and the WTE that meets the standards.",
    )
    w.add_argument("--arrivals-per-week", type=positive_number, required=True, help="referrals per week")
    w.add_argument("--specialist-wte", type=positive_number, required=True, help="specialist WTE in post")
    w.add_argument("--weeks", type=whole_number(10, 100_000), default=520, help="weeks simulated after warm-up (520)")
    w.add_argument("--seed", dest="waits_seed", type=whole_number(0, 2**32 - 1), default=1, help="seed (1)")
    for name in parameters.WAIT_PARAMETERS:
        w.add_argument(f"--{name.replace('_', '-')}", type=float, help=f"override waits.{name}")


def _load(version: str) -> parameters.ParameterSet:
    try:
        return parameters.load_parameters(version)
    except parameters.ParameterError as error:
        raise UsageError(str(error)) from None


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        print(text, end="")
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {out}: {error.strerror}") from None


def _emit_bytes(data: bytes, out: Path) -> None:
    try:
        out.write_bytes(data)
    except OSError as error:
        raise UsageError(f"cannot write {out}: {error.strerror}") from None


@command(
    "workforce",
    "health visiting workforce: demand model from a snapshot (ACTIONS: params, waits)",
    arguments=_arguments,
    needs_django=False,
)
def run_workforce(args: argparse.Namespace) -> int:
    base = _load(args.params)
    if args.action == "params":
        return _print_params(base, as_json=args.json)
    if args.action == "waits":
        return _run_waits(base, args)
    if args.snapshot is None:
        raise UsageError("give --snapshot DIR (or the action params or waits)")
    if args.format in report.BINARY_FORMATS and args.out is None:
        raise UsageError(f"--format {args.format} needs --out FILE")
    try:
        scenario = parameters.load_scenario(args.scenario, base) if args.scenario else None
        snapshot = read_snapshot(args.snapshot)
        data = build_areas(snapshot, base.in_post_roles)
    except (parameters.ParameterError, SnapshotError) as error:
        raise UsageError(str(error)) from None
    if not data.areas.codes:
        raise UsageError(f"snapshot {args.snapshot} has no children under 5 for any local authority")
    result = report.build(snapshot, data, base, scenario=scenario, draws=args.draws, seed=args.seed)
    if args.format in report.BINARY_FORMATS:
        _emit_bytes(report.BINARY_FORMATS[args.format](result), args.out)
    else:
        _emit(report.FORMATS[args.format](result), args.out)
    return 0


def _print_params(base: parameters.ParameterSet, *, as_json: bool) -> int:
    rows = [
        {"name": p.name, "value": p.value, "unit": p.unit, "source": p.source, "low": p.low, "high": p.high}
        for p in base.parameters.values()
    ]
    if as_json:
        print(json.dumps({"params_version": base.version, "parameters": rows}, indent=2))
        return 0
    print(f"Workforce parameters {base.version}: {base.description}")
    print(f"Roles counted as in post: {', '.join(base.in_post_roles)}")
    for row in rows:
        spread = f" [{row['low']:g} to {row['high']:g}]" if row["low"] is not None else ""
        print(f"  {row['name']} = {row['value']:g}{spread} {row['unit']} — {row['source']}")
    return 0


def _run_waits(base: parameters.ParameterSet, args: argparse.Namespace) -> int:
    settings = {name: base[f"waits.{name}"] for name in parameters.WAIT_PARAMETERS}
    for name in parameters.WAIT_PARAMETERS:
        override = getattr(args, name)
        if override is not None:
            settings[name] = override
    config = waits.WaitsConfig(
        arrivals_per_week=args.arrivals_per_week,
        specialist_wte=args.specialist_wte,
        weeks=float(args.weeks),
        seed=args.waits_seed,
        **settings,
    )
    try:
        result = waits.simulate(config)
        needed = waits.wte_needed(config)
    except ValueError as error:
        raise UsageError(str(error)) from None

    def summary(s: waits.WaitSummary, standard: float) -> dict[str, object]:
        return {
            "referrals": s.count,
            "standard_weeks": standard,
            "within_standard": round(s.within_standard, 4),
            "wait_weeks": {
                "p50": round(s.p50, 2),
                "p90": round(s.p90, 2),
                "p95": round(s.p95, 2),
                "mean": round(s.mean, 2),
            },
            "still_waiting_at_end": s.still_waiting,
        }

    out = {
        "params_version": base.version,
        "seed": config.seed,
        "weeks": config.weeks,
        "arrivals_per_week": config.arrivals_per_week,
        "specialist_wte": config.specialist_wte,
        "assessment_slots": config.assessment_slots,
        "treatment_places": config.treatment_places,
        "assessment": summary(result.assessment, config.assessment_standard_weeks),
        "treatment": summary(result.treatment, config.treatment_standard_weeks),
        "target_share": config.target_share,
        "meets_standards": result.meets_standards,
        "wte_needed": needed,
    }
    print(json.dumps(out, indent=2))
    return 0
