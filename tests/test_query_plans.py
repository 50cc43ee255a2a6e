"""Page views plan index scans, not sequential scans, of the big tables (PostgreSQL only).

With a demo of a few thousand children loaded and analysed, the SQL of each main page is captured and
explained (``EXPLAIN (FORMAT JSON)``); no plan may read the tasks, contacts or people tables from end
to end. Rows-read tests (tests/test_rows_read.py) count the rows returned; this checks the rows
scanned to find them.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pimh.core.models import User
from tests.conftest import USE_POSTGRES

pytestmark = pytest.mark.skipif(
    not USE_POSTGRES, reason="query plans are checked on PostgreSQL, the production database"
)

BIG_TABLES = {"contacts_task", "contacts_contact", "families_person"}
PAGES = [
    ("hv1", "/caseload/"),
    ("hv1", "/work/"),
    ("lead", "/team/urgent-flags/"),
    ("lead", "/team/referrals/"),
    ("sphv", "/specialist/queue/"),
    ("lead", "/team/{hv1}/overdue/"),
]
CHILDREN = 6000  # big enough that an index scan is plainly the better plan for one screenful


def _scans(plan: dict) -> list[str]:
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in BIG_TABLES:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found += _scans(child)
    return found


def _sequential_scans(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return _scans(plan[0]["Plan"])


def _problems(pages: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    from pimh.demo.loader import load_demo

    load_demo(children=CHILDREN)  # analyses the tables it fills
    problems = []
    for username, url in pages:
        url = url.format(hv1=User.objects.get(username="hv1").pk)
        client = Client()
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == 200  # the first view refreshes tasks and writes the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        for query in queries.captured_queries:
            sql = query["sql"]
            if sql.lstrip().upper().startswith("SELECT"):
                problems += [(url, table, sql[:300]) for table in _sequential_scans(sql)]
    return problems


@pytest.mark.django_db
def test_main_pages_do_not_scan_tasks_contacts_or_people_end_to_end():
    problems = _problems(PAGES)
    assert [(url, table) for url, table, _ in problems] == [], problems


@pytest.mark.django_db
def test_team_view_does_not_scan_tasks_or_people_end_to_end():
    # The per-practitioner counts cover every open task and child of the team: counted at most once per
    # AGGREGATE_CACHE_SECONDS (core/recent.py; a sequential scan is the right plan for half the trust's
    # children) and kept. The first view counts; the view explained here is a later one.
    problems = _problems([("lead", "/team/")])
    assert [(url, table) for url, table, _ in problems] == [], problems
