"""Every PostgreSQL connection of the service plans with in-memory page costs (core/planner.py)."""

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
