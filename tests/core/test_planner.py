"""Database connection settings: the PostgreSQL planner's page costs (core/planner.py), SQLite's page cache."""

from __future__ import annotations

import pytest
from django.db import connection

from pimh.core.planner import RANDOM_PAGE_COST
from tests.conftest import USE_POSTGRES


@pytest.mark.skipif(not USE_POSTGRES, reason="a PostgreSQL planner setting")
@pytest.mark.django_db
def test_a_postgresql_connection_uses_the_in_memory_random_page_cost() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        (value,) = cursor.fetchone()
    assert float(value) == RANDOM_PAGE_COST != 4.0


@pytest.mark.skipif(USE_POSTGRES, reason="a SQLite connection setting")
@pytest.mark.django_db
def test_a_sqlite_connection_keeps_the_configured_page_cache(settings) -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (pages_or_kib,) = cursor.fetchone()
    assert pages_or_kib == -settings.SQLITE_CACHE_MB * 1024  # negative: KiB, not pages
    assert settings.SQLITE_CACHE_MB == 128 != 2  # SQLite's own default is 2 MB
