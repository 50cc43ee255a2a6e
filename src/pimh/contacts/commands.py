"""``pimh schedule`` (contact windows from dates, no database) and ``pimh tasks refresh``.

Pure imports only: Django is set up by ``pimh.cli`` for the commands that need it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re

from pimh.cli import UsageError, command
from pimh.contacts import schedule
from pimh.core import bounds


def iso_date(text: str) -> dt.date:
    """A real calendar date written YYYY-MM-DD (2025-02-30 and 'tomorrow' are refused)."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a real date written YYYY-MM-DD, not {text!r}") from None


iso_date.__name__ = "date"


def _schedule_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dob", type=iso_date, help="date of birth, YYYY-MM-DD")
    parser.add_argument("--edd", type=iso_date, help="estimated date of delivery, YYYY-MM-DD")


@command(
    "schedule",
    "print the mandated contact windows for a date of birth and/or an EDD as JSON",
    arguments=_schedule_arguments,
    needs_django=False,
)
def run_schedule(args: argparse.Namespace) -> int:
    if args.dob is None and args.edd is None:
        raise UsageError("give --dob YYYY-MM-DD, --edd YYYY-MM-DD, or both")
    today = dt.date.today()
    for option, value in (("--dob", args.dob), ("--edd", args.edd)):
        if value is not None and bounds.SCHEDULE_DATE.problem(value, today=today):
            earliest, latest = bounds.SCHEDULE_DATE.earliest(today), bounds.SCHEDULE_DATE.latest(today)
            raise UsageError(
                f"{option} must be from {earliest.isoformat()} to {latest.isoformat()}, not {value.isoformat()}"
            )
    found = schedule.windows(edd=args.edd, dob=args.dob)
    print(json.dumps([schedule.window_to_dict(window) for window in found], indent=2))
    return 0


def _tasks_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, title="actions")
    actions.add_parser(
        "refresh",
        help="create missing scheduled contact tasks for every family and move task states along the calendar",
        description="Create missing scheduled contact tasks for every family and refresh every open task's state.",
    )


@command("tasks", "maintain contact tasks (ACTION: refresh)", arguments=_tasks_arguments, needs_django=True)
def run_tasks(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from pimh.contacts import services
    from pimh.families.models import Family

    today = timezone.localdate()
    created = services.schedule_tasks(by=None, families=Family.objects.all(), today=today)
    changed = services.refresh_statuses(today=today)
    print(f"Tasks on {today:%Y-%m-%d}: {created:,} scheduled tasks created, {changed:,} task states refreshed.")
    return 0
