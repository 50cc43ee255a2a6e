"""Backups and restores of the service's database.

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore`` (the client programs must
be on PATH, of the server's major version or newer). SQLite: the online backup API,
which copies a consistent snapshot while the service runs.

A backup never overwrites a file; a restore goes only into an empty database
(a new PostgreSQL database, or a new SQLite file), so that it cannot mix two
services' records. Both print a summary: the rows in every table and a
fingerprint of the audit trail, to compare before and after.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason for the operator."""


@dataclass(frozen=True)
class Summary:
    rows: dict[str, int]
    audit_events: int
    audit_fingerprint: str

    def describe(self) -> str:
        return (
            f"{len(self.rows)} tables, {sum(self.rows.values()):,} rows; "
            f"{self.audit_events:,} audit events, fingerprint {self.audit_fingerprint[:16]}"
        )


def summary() -> Summary:
    """Rows in every table of the database, and a fingerprint of the audit events in order."""
    from pimh.core.models import AuditEvent

    quote = connection.ops.quote_name
    rows: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from the catalogue
            rows[table] = cursor.fetchone()[0]
    fields = [field.attname for field in AuditEvent._meta.concrete_fields]
    digest = hashlib.sha256()
    for values in AuditEvent.objects.order_by("id").values_list(*fields).iterator(chunk_size=5000):
        digest.update(json.dumps(values, default=str, sort_keys=True).encode())
    return Summary(rows, rows.get(AuditEvent._meta.db_table, 0), digest.hexdigest())


def _pg_environment() -> dict[str, str]:
    database = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if database.get(name):
            env[key] = str(database[name])
    env["PGDATABASE"] = str(database["NAME"])
    return env


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client programs (postgresql-client)")
    return found


def _run(arguments: list[str]) -> None:
    result = subprocess.run(arguments, env=_pg_environment(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{Path(arguments[0]).name} failed: {last}")


def backup(out: Path) -> Summary:
    """Write a backup of the database to ``out`` (which must not exist yet)."""
    if out.exists():
        raise BackupError(f"{out} already exists: choose a new file name (a backup never overwrites a file)")
    if not out.parent.is_dir():
        raise BackupError(f"the folder {out.parent} does not exist")
    partial = out.with_name(out.name + ".partial")
    try:
        if connection.vendor == "postgresql":
            _run([_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"])
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(partial) as target:
                connection.connection.backup(target)
            target.close()
        else:
            raise BackupError(f"backups of {connection.vendor} databases are not supported")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return summary()


def _kind(path: Path) -> str:
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if head == SQLITE_MAGIC:
        return "sqlite"
    raise BackupError(f"{path} is not a backup made by pimh backup (neither a PostgreSQL dump nor an SQLite file)")


def restore(path: Path) -> Summary:
    """Restore the backup at ``path`` into the (empty) database of the settings."""
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    kind = _kind(path)
    if kind != connection.vendor:
        raise BackupError(f"{path} is a {kind} backup but the database is {connection.vendor}")
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables:
        raise BackupError(f"the database is not empty ({len(tables)} tables): restore into a new, empty database")
    if kind == "postgresql":
        database = str(connection.settings_dict["NAME"])
        connection.close()
        _run(
            [
                _program("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={database}",
                str(path),
            ]
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as source:
            source.backup(connection.connection)
        source.close()
    return summary()
