"""A throwaway PostgreSQL cluster of the ops tests' own, and helpers to run the service's commands on it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.postgres import find_bin_dir, throwaway_cluster

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def cluster() -> Iterator[dict[str, str]]:
    if find_bin_dir() is None:
        pytest.skip("PostgreSQL binaries not found (apt-get install postgresql)")
    with throwaway_cluster() as database:
        yield database


def create_database(cluster: dict[str, str], name: str) -> str:
    """A new empty database on the cluster; returns its DATABASE_URL."""
    import psycopg

    with psycopg.connect(host=cluster["HOST"], user=cluster["USER"], dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return database_url(cluster, name)


def database_url(cluster: dict[str, str], name: str) -> str:
    return f"postgres://{cluster['USER']}@{quote(cluster['HOST'], safe='')}/{name}"


def base_env(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    return {
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "DEBUG": "true",
        "PIMH_VAR_DIR": str(tmp_path),
        "DATABASE_URL": database_url,
        **extra,
    }
