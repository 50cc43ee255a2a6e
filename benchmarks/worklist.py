"""Median server time of "My work" (the worklist) for a health visitor of the demo service.

Compares the real page (one bulk refresh of task states, family, person and adults fetched
with the tasks) with the obvious alternative (each row's family, person and adults fetched
as the row is drawn: N+1 queries), in the same run, on a fresh database loaded with the demo
service. Also times the demo's contacts step and ``pimh tasks refresh`` over the whole service.

    .venv/bin/python benchmarks/worklist.py [--postgres] [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.caseload import configure  # noqa: E402


def time_page(client, url: str, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up templates and the session
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL cluster")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    configure(args.postgres)

    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from pimh.contacts import demo as contacts_demo
    from pimh.contacts import presenters, services, views
    from pimh.contacts.models import Task
    from pimh.core.models import User
    from pimh.demo.loader import load_demo
    from pimh.families.models import ADULT_ROLES, Family

    call_command("migrate", verbosity=0)
    step = contacts_demo.load
    step_seconds: list[float] = []

    def timed_step(context):
        start = time.perf_counter()
        counts = step(context)
        step_seconds.append(time.perf_counter() - start)
        return counts

    contacts_demo.load = timed_step
    summary = load_demo(seed=1, children=2500)
    contacts_demo.load = step
    start = time.perf_counter()
    services.schedule_tasks(by=None, families=Family.objects.all())
    services.refresh_statuses()
    refresh_all = time.perf_counter() - start

    hv = User.objects.get(username="hv1")
    open_tasks = Task.objects.filter(assigned_to=hv, status__in=["due", "overdue"]).count()
    client = Client()
    client.force_login(hv)
    url = reverse("worklist")

    real_ms, real_queries = time_page(client, url, args.runs)

    tasks_fn, rows_fn = presenters.worklist_tasks, presenters.worklist_rows

    def naive_tasks(*a, **kw):
        return tasks_fn(*a, **kw).select_related(None).prefetch_related(None)

    def naive_rows(tasks, *, today):
        for task in tasks:
            task.family.adults = list(  # one query for the family, one for its adults, one for the person
                task.family.people.filter(role__in=ADULT_ROLES).order_by("role", "date_of_birth", "pk")
            )
        return rows_fn(tasks, today=today)

    presenters.worklist_tasks, presenters.worklist_rows = naive_tasks, naive_rows
    try:
        naive_ms, naive_queries = time_page(client, url, args.runs)
    finally:
        presenters.worklist_tasks, presenters.worklist_rows = tasks_fn, rows_fn

    engine = "PostgreSQL 15" if args.postgres else "SQLite"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {engine}")
    print(
        f"demo of 2,500 children: {summary.counts['contacts']:,} contacts, {summary.counts['tasks']:,} tasks; "
        f"load {summary.seconds:.1f} s of which contacts step {step_seconds[0]:.2f} s"
    )
    print(f"`pimh tasks refresh` work over the whole service (nothing stale): {refresh_all * 1000:.0f} ms")
    print(
        f"worklist of hv1: {open_tasks} due or overdue tasks, {min(open_tasks, views.PAGE_SIZE)} rows on the page; {args.runs} runs each"
    )
    print(
        f"product (bulk refresh, related rows fetched with the tasks): median {real_ms:.1f} ms, {real_queries} queries"
    )
    print(f"per-row queries (N+1): median {naive_ms:.1f} ms, {naive_queries} queries")
    print(f"ratio: the product is {naive_ms / real_ms:.1f}x faster")


if __name__ == "__main__":
    main()
