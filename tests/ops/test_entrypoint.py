"""docker/entrypoint.sh, run as the container would (without Docker) against a throwaway PostgreSQL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import psycopg

from tests.ops.conftest import ROOT, base_env, create_database

ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "e" * 30 + "-production-secret-key-0123456789",
    "ALLOWED_HOSTS": "pimh.example.nhs.uk",
    "PYTHON": sys.executable,
}


def entrypoint(env, *command, timeout=300):
    return subprocess.run(
        [str(ENTRYPOINT), *command], cwd="/", env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_prepares_an_empty_database_then_runs_the_command(cluster, tmp_path):
    url = create_database(cluster, "entry_fresh")
    result = entrypoint(base_env(tmp_path, url, **PRODUCTION), sys.executable, "-c", "print('command ran')")
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("command ran\n")
    steps = [line for line in result.stderr.splitlines() if line.startswith("entrypoint: ")]
    assert steps == [
        "entrypoint: waiting for the database (at most 60 s)",
        "entrypoint: applying migrations",
        "entrypoint: checking the deployment settings",
    ]
    with psycopg.connect(host=cluster["HOST"], user=cluster["USER"], dbname="entry_fresh") as conn:
        applied = conn.execute("SELECT count(*) FROM django_migrations WHERE app = 'core'").fetchone()[0]
        triggers = conn.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'pgtrigger_append_only%'").fetchone()
    assert applied >= 4
    # AuditEvent, BreakGlassAccess, ServiceLevelChange, LifeEvent, TaskEvent, ReferralEvent, RecordMessage
    assert triggers[0] == 7


def test_a_second_start_is_harmless(cluster, tmp_path):
    url = create_database(cluster, "entry_twice")
    env = base_env(tmp_path, url, **PRODUCTION)
    assert entrypoint(env, "true").returncode == 0
    again = entrypoint(env, "true")
    assert again.returncode == 0, again.stderr


def test_stops_with_one_line_when_the_database_never_answers(tmp_path):
    url = f"postgres://postgres@{str(tmp_path).replace('/', '%2F')}/nothing"
    env = base_env(tmp_path, url, **PRODUCTION, DB_WAIT_SECONDS="2")
    started = time.monotonic()
    result = entrypoint(env, "true", timeout=60)
    assert result.returncode != 0
    assert time.monotonic() - started < 30
    assert "the database did not accept connections within 2 seconds" in result.stderr
    assert "Traceback" not in result.stderr


def test_stops_with_one_line_on_a_bad_setting(cluster, tmp_path):
    env = base_env(tmp_path, create_database(cluster, "entry_bad"), **PRODUCTION) | {"SECRET_KEY": "short"}
    result = entrypoint(env, "true")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "pimh: configuration error: SECRET_KEY must be a random string of at least 50 characters when DEBUG is off"
    )
    assert "Traceback" not in result.stderr


def test_serves_with_gunicorn_by_default(cluster, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = base_env(tmp_path, create_database(cluster, "entry_serve"), **PRODUCTION) | {
        "BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "1",
    }
    process = subprocess.Popen(
        [str(ENTRYPOINT)], cwd="/", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        status = None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=5) as response:
                    status = response.status
                    break
            except OSError:
                time.sleep(0.5)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        _, errors = process.communicate(timeout=60)
    assert status == 200, errors.decode()[-3000:]
