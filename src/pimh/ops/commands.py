"""``pimh backup --out FILE`` and ``pimh restore FILE``. Pure imports only (Django is set up by ``pimh.cli``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pimh.cli import UsageError, command


def _backup_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="the backup file to write (must not exist yet)")


@command(
    "backup",
    "back the database up to a new file (PostgreSQL: pg_dump custom format; SQLite: online backup)",
    arguments=_backup_arguments,
    needs_django=True,
)
def run_backup(args: argparse.Namespace) -> int:
    from pimh.ops.backup import BackupError, backup

    try:
        result = backup(args.out)
    except BackupError as error:
        raise UsageError(str(error)) from None
    print(f"Backed up to {args.out}: {result.describe()}")
    print(f"audit fingerprint {result.audit_fingerprint}")
    return 0


def _restore_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="a file written by pimh backup")


@command(
    "restore",
    "restore a backup into an empty database (a new PostgreSQL database or a new SQLite file)",
    arguments=_restore_arguments,
    needs_django=True,
    needs_migrated=False,
)
def run_restore(args: argparse.Namespace) -> int:
    from pimh.ops.backup import BackupError, restore

    try:
        result = restore(args.file)
    except BackupError as error:
        raise UsageError(str(error)) from None
    print(f"Restored {args.file}: {result.describe()}")
    print(f"audit fingerprint {result.audit_fingerprint}")
    return 0
