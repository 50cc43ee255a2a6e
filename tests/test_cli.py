"""The ``pimh`` command: exit statuses, one-line errors, and the demo command end to end."""

from __future__ import annotations

import sys

import pytest

from pimh import cli
from pimh.demo import DEMO_PASSWORD, STAFF
from pimh.families.models import Family, Person

ENVIRON = {"DJANGO_SETTINGS_MODULE": "pimh.config.settings"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv), ENVIRON)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_help_lists_the_commands(capsys):
    status, out, err = run(capsys, "--help")
    assert status == 0
    assert "demo" in out
    assert "logins" in out
    assert err == ""


def test_every_registered_command_has_help(capsys):
    for name in cli.COMMANDS:
        assert run(capsys, name, "--help")[0] == 0


def test_version(capsys):
    status, out, _ = run(capsys, "--version")
    assert status == 0
    assert out.startswith("pimh ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["demo", "--children", "-5"], "argument --children: must be from 1 to"),
        (["demo", "--children", "abc"], "argument --children: expected a whole number"),
        (["demo", "--children", "0"], "argument --children: must be from 1 to"),
        (["demo", "--children", "10000000"], "argument --children: must be from 1 to"),
        (["demo", "--seed", "-1"], "argument --seed: must be from 0"),
        (["demo", "--frobnicate"], "unrecognized arguments"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_user_errors_exit_2_with_one_line(capsys, argv, message):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.startswith("pimh: error: ")
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_logins_prints_every_demo_login_and_the_password(capsys):
    status, out, _ = run(capsys, "logins")
    assert status == 0
    assert DEMO_PASSWORD in out
    assert [line.split()[0] for line in out.splitlines()[1:]] == [s.username for s in STAFF]


def test_entry_point_exits_with_the_status(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["pimh", "frobnicate"])
    with pytest.raises(SystemExit) as exit_info:
        cli.entry_point()
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.startswith("pimh: error: ")


@pytest.mark.django_db
def test_demo_loads_once_then_refuses(capsys, monkeypatch):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "pimh.config.settings")
    status, out, err = run(capsys, "demo", "--seed", "2", "--children", "150")
    assert (status, err) == (0, "")
    assert out.startswith("Loaded the demo (seed 2")
    assert "hv1" in out
    assert Person.objects.filter(role="infant").count() == 150
    families = Family.objects.count()

    status, out, err = run(capsys, "demo", "--children", "150")
    assert (status, out) == (2, "")
    assert err == "pimh: error: The database already holds families: the demo loads only into an empty database\n"
    assert Family.objects.count() == families


@pytest.mark.django_db
def test_demo_if_empty_loads_once_then_reports_and_succeeds(capsys):


    assert cli.main(["demo", "--children", "30", "--if-empty"], {}) == 0
    loaded = Family.objects.count()
    assert cli.main(["demo", "--children", "30", "--if-empty"], {}) == 0
    assert "demo not loaded again" in capsys.readouterr().out
    assert Family.objects.count() == loaded
