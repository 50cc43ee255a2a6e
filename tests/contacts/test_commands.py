"""``pimh schedule`` (pure) and ``pimh tasks refresh`` (database)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict

import pytest
from django.utils import timezone

from pimh import cli
from pimh.contacts.models import Task, TaskEvent
from pimh.families.models import Person
from tests.conftest import make_family, person_data

ENVIRON = {"DJANGO_SETTINGS_MODULE": "tests.settings"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv), ENVIRON)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_schedule_from_a_date_of_birth_prints_the_postnatal_windows(capsys):
    status, out, err = run(capsys, "schedule", "--dob", "2024-01-31")
    assert (status, err) == (0, "")
    assert json.loads(out) == [
        {"contact": "new_birth_visit", "window_start": "2024-02-10", "window_end": "2024-02-14"},
        {"contact": "six_to_eight_week", "window_start": "2024-03-13", "window_end": "2024-03-27"},
        {"contact": "twelve_month", "window_start": "2024-10-31", "window_end": "2025-01-31"},
        {"contact": "two_to_two_and_half_year", "window_start": "2026-01-31", "window_end": "2026-07-31"},
    ]


def test_schedule_from_an_edd_prints_the_antenatal_window(capsys):
    status, out, _ = run(capsys, "schedule", "--edd", "2026-06-01")
    assert status == 0
    assert json.loads(out) == [{"contact": "antenatal", "window_start": "2026-03-09", "window_end": "2026-06-01"}]


def test_schedule_with_both_dates_ends_the_antenatal_window_at_birth(capsys):
    status, out, _ = run(capsys, "schedule", "--edd", "2026-06-01", "--dob", "2026-05-20")
    windows = json.loads(out)
    assert status == 0
    assert [w["contact"] for w in windows] == [
        "antenatal",
        "new_birth_visit",
        "six_to_eight_week",
        "twelve_month",
        "two_to_two_and_half_year",
    ]
    assert windows[0] == {"contact": "antenatal", "window_start": "2026-03-09", "window_end": "2026-05-20"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["schedule"], "give --dob YYYY-MM-DD, --edd YYYY-MM-DD, or both"),
        (
            ["schedule", "--dob", "2025-02-30"],
            "argument --dob: expected a real date written YYYY-MM-DD, not '2025-02-30'",
        ),
        (["schedule", "--edd", "tomorrow"], "argument --edd: expected a real date written YYYY-MM-DD, not 'tomorrow'"),
        (["schedule", "--dob", "20250101"], "argument --dob: expected a real date"),
        (["schedule", "--dob", "2025-13-01"], "argument --dob: expected a real date"),
        (["schedule", "--dob"], "argument --dob: expected one argument"),
        (["tasks"], "the following arguments are required: ACTION"),
        (["tasks", "purge"], "argument ACTION: invalid choice: 'purge'"),
    ],
)
def test_user_errors_exit_2_with_one_line(capsys, argv, message):
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err.startswith("pimh: error: ")
    assert message in err
    assert err.count("\n") == 1


def test_tasks_refresh_help(capsys):
    status, out, _ = run(capsys, "tasks", "refresh", "--help")
    assert status == 0
    assert "refresh" in out


def test_tasks_refresh_creates_missing_tasks_then_refreshes_stale_states(capsys, hv, team_a):
    # A baby of 40 days added straight to the table, so no task was scheduled (task history is append-only).
    family = make_family(by=hv, team=team_a, allocated_hv=hv, with_infant_days=None)
    infant = person_data("infant", date_of_birth=timezone.localdate() - dt.timedelta(days=40))
    Person.objects.create(family=family, **asdict(infant))
    assert not Task.objects.filter(kind="new_birth_visit").exists()

    status, out, err = run(capsys, "tasks", "refresh")
    assert (status, err) == (0, "")
    assert "4 scheduled tasks created, 0 task states refreshed" in out
    assert sorted(family.tasks.values_list("kind", "status")) == [
        ("new_birth_visit", "overdue"),
        ("six_to_eight_week", "upcoming"),
        ("twelve_month", "upcoming"),
        ("two_to_two_and_half_year", "upcoming"),
    ]
    assert TaskEvent.objects.filter(event="created").count() == 4

    family.tasks.filter(kind="new_birth_visit").update(status="due")  # stale
    status, out, _ = run(capsys, "tasks", "refresh")
    assert status == 0
    assert "0 scheduled tasks created, 1 task states refreshed" in out
    assert family.tasks.get(kind="new_birth_visit").status == "overdue"
