"""A throwaway PostgreSQL cluster from Debian's binaries, for the integration tests.

Started in a temporary folder with a socket only (no TCP port, no password), and
removed at the end. Runs initdb/pg_ctl as the ``postgres`` user when we are root.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN_DIRS = [Path("/usr/lib/postgresql") / v / "bin" for v in ("17", "16", "15")]


def find_bin_dir() -> Path | None:
    for path in BIN_DIRS:
        if (path / "initdb").exists():
            return path
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def start_for_session() -> dict[str, str]:
    """Start a cluster now and stop it when the Python process exits."""
    manager = throwaway_cluster()
    database = manager.__enter__()
    atexit.register(manager.__exit__, None, None, None)
    return database


@contextmanager
def throwaway_cluster() -> Iterator[dict[str, str]]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL binaries not found: apt-get install postgresql")
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    folder = Path(tempfile.mkdtemp(prefix="pimh-pg-"))
    data, sockets = folder / "data", folder / "run"
    sockets.mkdir()
    if as_root:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(sockets, "postgres", "postgres")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True}
    subprocess.run(
        [
            *prefix,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        ],
        **quiet,
    )
    options = f"-c listen_addresses='' -k {sockets} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    subprocess.run(
        [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(folder / "log"), "start"],
        **quiet,
    )
    try:
        yield {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "postgres",
            "USER": "postgres",
            "HOST": str(sockets),
            "PORT": "",
            "PASSWORD": "",
        }
    finally:
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)
