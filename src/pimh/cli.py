"""The ``pimh`` command for analysts, commissioners and developers.

``main(argv, environ)`` does the work and returns the exit status: 0 on success,
2 on a user error (bad argument, unknown command, a database that cannot take
the demo), with one line on stderr starting ``pimh: error:`` and no traceback.
Each command is one small function registered in ``COMMANDS``; Django is set up
only for the commands that need the database.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import NoReturn

from pimh.demo import DEMO_PASSWORD, demo_logins
from pimh.demo.generator import MAX_CHILDREN

DEFAULT_SETTINGS = "pimh.config.settings"
USAGE_ERROR = 2


class UsageError(Exception):
    """A mistake by the person at the keyboard: shown as one line, exit status 2."""


class _Exit(Exception):  # control flow, not an error
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that reports errors to ``main`` instead of exiting the process."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        raise _Exit(status)


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Callable[[argparse.Namespace], int]
    arguments: Callable[[argparse.ArgumentParser], None] | None = None
    needs_django: bool = False
    needs_migrated: bool = True  # False: runs on a database not (yet) migrated, for example `pimh restore`


COMMANDS: dict[str, Command] = {}


def command(
    name: str,
    help: str,
    *,
    arguments: Callable[[argparse.ArgumentParser], None] | None = None,
    needs_django: bool,
    needs_migrated: bool = True,
) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    """Register the decorated function as ``pimh <name>``."""

    def register(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = Command(name, help, run, arguments, needs_django, needs_migrated)
        return run

    return register


def whole_number(minimum: int, maximum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.replace(",", "").replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
        if not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(f"must be from {minimum:,} to {maximum:,}, not {value:,}")
        return value

    parse.__name__ = "whole number"
    return parse


def _print_logins() -> None:
    print(f"Demo logins (password {DEMO_PASSWORD}):")
    for username, role, note in demo_logins():
        print(f"  {username:<8} {role:<34} {note}")


# ---- commands ------------------------------------------------------------------


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=whole_number(0, 2**32 - 1), default=1, help="random seed (default 1)")
    parser.add_argument(
        "--children",
        type=whole_number(1, MAX_CHILDREN),
        default=2500,
        help=f"children aged 0-5 to create, 1 to {MAX_CHILDREN:,} (default 2,500)",
    )
    parser.add_argument(
        "--if-empty",
        action="store_true",
        help="load only when the database holds no families; otherwise say so and succeed (used by make run)",
    )


@command(
    "demo", "load a synthetic demo population into an empty database", arguments=_demo_arguments, needs_django=True
)
def run_demo(args: argparse.Namespace) -> int:
    from pimh.demo.loader import DemoError, database_is_empty, load_demo

    if args.if_empty and not database_is_empty():
        print("The database already holds families: demo not loaded again.")
        _print_logins()
        return 0
    try:
        summary = load_demo(seed=args.seed, children=args.children, progress=sys.stderr.isatty())
    except DemoError as error:
        raise UsageError(str(error)) from None
    print(summary.describe())
    _print_logins()
    return 0


@command("logins", "print the demo logins", needs_django=False)
def run_logins(args: argparse.Namespace) -> int:
    _print_logins()
    return 0


# ---- plumbing --------------------------------------------------------------------


def _version() -> str:
    try:
        return version("pimh-pathway")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> Parser:
    parser = Parser(
        prog="pimh",
        description="PIMH Pathway: perinatal and infant mental health pathway tools.",
        epilog="Run 'pimh COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"pimh {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, title="commands")
    for spec in COMMANDS.values():
        sub = commands.add_parser(spec.name, help=spec.help, description=spec.help[:1].upper() + spec.help[1:] + ".")
        if spec.arguments:
            spec.arguments(sub)
    return parser


def _setup_django(environ: Mapping[str, str], *, migrated: bool = True) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = environ.get("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    from pimh.config.env import ConfigError

    try:
        django.setup()
    except ConfigError as error:
        raise UsageError(str(error)) from None
    if not migrated:
        return
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise UsageError("The database is not up to date: run `python manage.py migrate` first")


# Apps add their own commands in ``pimh.<app>.commands`` (imported here, pure imports only:
# Django is set up later, only for commands that need it).
COMMAND_MODULES = (
    "pimh.contacts.commands",
    "pimh.screening.commands",
    "pimh.referrals.commands",
    "pimh.workforce.commands",
    "pimh.analytics.commands",
    "pimh.core.commands",
    "pimh.ops.commands",
    "pimh.interop.commands",
)


def _load_command_modules() -> None:
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run one ``pimh`` command; return the exit status."""
    environ = os.environ if environ is None else environ
    _load_command_modules()
    try:
        args = build_parser().parse_args(sys.argv[1:] if argv is None else list(argv))
        spec = COMMANDS[args.command]
        if spec.needs_django:
            _setup_django(environ, migrated=spec.needs_migrated)
        return spec.run(args)
    except _Exit as done:
        return done.status
    except UsageError as error:
        print(f"pimh: error: {error}", file=sys.stderr)
        return USAGE_ERROR


def entry_point() -> None:
    sys.exit(main(sys.argv[1:], os.environ))
