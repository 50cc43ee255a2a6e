"""pimh backup / pimh restore: a round trip into an empty database keeps every row and the audit trail."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys

import psycopg
import pytest

from tests.ops.conftest import BIN, ROOT, base_env, create_database


def run(env, *argv):
    return subprocess.run(
        [str(BIN / "pimh"), *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def prepare(env):
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    loaded = run(env, "demo", "--children", "40")
    assert loaded.returncode == 0, loaded.stderr


def fingerprint(output: str) -> str:
    return re.search(r"^audit fingerprint ([0-9a-f]{64})$", output, re.M).group(1)


def sqlite_counts(path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}  # noqa: S608


def pg_counts(cluster, name) -> dict[str, int]:
    with psycopg.connect(host=cluster["HOST"], user=cluster["USER"], dbname=name) as conn:
        tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {table: conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}  # noqa: S608


# ---- SQLite ------------------------------------------------------------------------------------


def test_sqlite_round_trip_keeps_every_row_and_the_audit_trail(tmp_path):
    source = base_env(tmp_path, f"sqlite:///{tmp_path / 'live.sqlite3'}")
    prepare(source)
    backup = run(source, "backup", "--out", str(tmp_path / "pimh.backup"))
    assert backup.returncode == 0, backup.stderr
    assert backup.stdout.startswith(f"Backed up to {tmp_path / 'pimh.backup'}: ")

    target = base_env(tmp_path, f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    restored = run(target, "restore", str(tmp_path / "pimh.backup"))
    assert restored.returncode == 0, restored.stderr
    before, after = sqlite_counts(tmp_path / "live.sqlite3"), sqlite_counts(tmp_path / "restored.sqlite3")
    assert before == after
    assert before["core_auditevent"] > 0
    assert before["families_family"] > 0
    assert fingerprint(backup.stdout) == fingerprint(restored.stdout)
    # The restored service works: its migrations are all applied.
    check = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"], cwd=ROOT, env=target, capture_output=True, check=False
    )
    assert check.returncode == 0


def test_a_backup_never_overwrites_a_file(tmp_path):
    env = base_env(tmp_path, f"sqlite:///{tmp_path / 'live.sqlite3'}")
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    existing = tmp_path / "old.backup"
    existing.write_bytes(b"yesterday")
    result = run(env, "backup", "--out", str(existing))
    assert (result.returncode, result.stderr) == (
        2,
        f"pimh: error: {existing} already exists: choose a new file name (a backup never overwrites a file)\n",
    )
    assert existing.read_bytes() == b"yesterday"


def test_a_restore_refuses_a_database_that_is_not_empty(tmp_path):
    env = base_env(tmp_path, f"sqlite:///{tmp_path / 'live.sqlite3'}")
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    assert run(env, "backup", "--out", str(tmp_path / "b")).returncode == 0
    result = run(env, "restore", str(tmp_path / "b"))
    assert result.returncode == 2
    assert re.fullmatch(
        r"pimh: error: the database is not empty \(\d+ tables\): restore into a new, empty database\n", result.stderr
    )


@pytest.mark.parametrize(
    ("content", "reason"), [(b"hello", "is not a backup made by pimh backup"), (None, "no backup file")]
)
def test_a_restore_refuses_anything_but_a_backup(tmp_path, content, reason):
    path = tmp_path / "file"
    if content is not None:
        path.write_bytes(content)
    env = base_env(tmp_path, f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    result = run(env, "restore", str(path))
    assert result.returncode == 2
    assert reason in result.stderr
    assert result.stderr.count("\n") == 1


# ---- PostgreSQL --------------------------------------------------------------------------------


def test_postgres_round_trip_keeps_every_row_the_audit_trail_and_the_triggers(cluster, tmp_path):
    source = base_env(tmp_path, create_database(cluster, "backup_source"))
    prepare(source)
    backup = run(source, "backup", "--out", str(tmp_path / "pimh.dump"))
    assert backup.returncode == 0, backup.stderr
    assert (tmp_path / "pimh.dump").read_bytes()[:5] == b"PGDMP"

    target = base_env(tmp_path, create_database(cluster, "backup_target"))
    restored = run(target, "restore", str(tmp_path / "pimh.dump"))
    assert restored.returncode == 0, restored.stderr
    before, after = pg_counts(cluster, "backup_source"), pg_counts(cluster, "backup_target")
    assert before == after
    assert before["core_auditevent"] > 0
    assert fingerprint(backup.stdout) == fingerprint(restored.stdout)
    with psycopg.connect(host=cluster["HOST"], user=cluster["USER"], dbname="backup_target") as conn:
        with pytest.raises(psycopg.errors.RaiseException, match="append_only"):
            conn.execute("DELETE FROM core_auditevent")


def test_postgres_refuses_an_sqlite_backup(cluster, tmp_path):
    lite = base_env(tmp_path, f"sqlite:///{tmp_path / 'live.sqlite3'}")
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=lite, check=True)
    assert run(lite, "backup", "--out", str(tmp_path / "lite.backup")).returncode == 0
    result = run(base_env(tmp_path, create_database(cluster, "backup_wrong")), "restore", str(tmp_path / "lite.backup"))
    assert (result.returncode, result.stderr) == (
        2,
        f"pimh: error: {tmp_path / 'lite.backup'} is a sqlite backup but the database is postgresql\n",
    )
