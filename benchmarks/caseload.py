"""Median server time of "My caseload" for a health visitor with about 400 children.

Compares the real page (people prefetched in one query) with the obvious
alternative (each family's people fetched as the row is drawn: N+1 queries),
in the same run, on a fresh database loaded with the demo service.

    .venv/bin/python benchmarks/caseload.py [--postgres] [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def configure(use_postgres: bool) -> None:
    folder = tempfile.mkdtemp(prefix="pimh-bench-")
    os.environ.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "b" * 60,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "PIMH_VAR_DIR": folder,
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
        }
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "pimh.config.settings"
    import django
    from django.conf import settings

    if use_postgres:
        from tests.postgres import start_for_session

        settings.DATABASES = {"default": start_for_session()}
    django.setup()


def time_page(client, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/caseload/")  # warm up templates and the session
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get("/caseload/")
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/caseload/")
    return statistics.median(timings), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL cluster")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    configure(args.postgres)

    from django.core.management import call_command
    from django.test import Client

    from pimh.core.models import User
    from pimh.demo.loader import load_demo
    from pimh.families import presenters
    from pimh.families.models import PersonRole

    call_command("migrate", verbosity=0)
    load_demo(seed=1, children=2500)
    hv = User.objects.get(username="hv1")
    children = hv.allocated_families.filter(people__role=PersonRole.INFANT).count()
    client = Client()
    client.force_login(hv)

    real_ms, real_queries = time_page(client, args.runs)

    prefetch, rows = presenters.with_people, presenters.caseload_rows

    def naive_rows(families):
        out = []
        for family in families:
            family.members = list(family.people.order_by("role", "date_of_birth", "pk"))  # one query per family
            out.append(family)
        return rows(out)

    presenters.with_people, presenters.caseload_rows = (lambda qs: qs), naive_rows
    try:
        naive_ms, naive_queries = time_page(client, args.runs)
    finally:
        presenters.with_people, presenters.caseload_rows = prefetch, rows

    engine = "PostgreSQL 15" if args.postgres else "SQLite"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {engine}")
    print(f"caseload of hv1: {children} children; page of 100 families; {args.runs} runs each")
    print(f"prefetched (the product): median {real_ms:.1f} ms, {real_queries} queries")
    print(f"per-family queries (N+1): median {naive_ms:.1f} ms, {naive_queries} queries")
    print(f"ratio: the product is {naive_ms / real_ms:.1f}x faster")


if __name__ == "__main__":
    main()
