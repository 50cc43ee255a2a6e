"""Median server time of the team lead's weighted caseloads page on the demo service (2,500 children).

Compares the page as built (a fixed number of queries for the whole team) with the obvious alternative
(each family's children, pregnancies and PIMH need fetched family by family), in the same run.

    .venv/bin/python benchmarks/weighted_caseloads.py [--postgres] [--runs 20]
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

URL = "/team/caseload-weights/"


def time_page(client, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(URL)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(URL)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    return statistics.median(timings), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL cluster")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    configure(args.postgres)

    from django.core.management import call_command
    from django.test import Client

    from pimh.core.models import User
    from pimh.demo.loader import load_demo
    from pimh.families.models import Family, PersonRole, PregnancyOutcome
    from pimh.workforce import caseload, presenters

    call_command("migrate", verbosity=0)
    load_demo(seed=1, children=2500)
    lead = User.objects.get(username="lead")
    client = Client()
    client.force_login(lead)
    real_ms, real_queries = time_page(client, args.runs)

    built = presenters.team_caseloads

    def per_family(lead, *, today, weights):
        result = []
        for c in built(lead, today=today, weights=weights):
            loads = []
            for f in c.families:
                family = Family.objects.get(pk=f.family_id)
                kids = sum(
                    caseload.under_five(p.date_of_birth, today) for p in family.people.filter(role=PersonRole.INFANT)
                )
                expecting = family.pregnancies.filter(outcome=PregnancyOutcome.ONGOING).exists()
                need = bool(presenters._pimh_need([family.pk], today, weights))
                loads.append(
                    caseload.FamilyLoad(
                        f.family_id, f.reference, f.level, f.safeguarding, f.imd_decile, kids, need, expecting
                    )
                )
            result.append(caseload.Caseload(c.practitioner_id, c.name, c.wte, tuple(loads)))
        return result

    presenters.team_caseloads = per_family
    try:
        naive_ms, naive_queries = time_page(client, max(args.runs // 4, 3))
    finally:
        presenters.team_caseloads = built

    families = Family.objects.filter(team__in=lead.teams.all()).count()
    engine = "PostgreSQL 15" if args.postgres else "SQLite"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {engine}")
    print(f"lead of the North team: {families} families")
    print(f"team queries (the product): median {real_ms:.1f} ms, {real_queries} queries")
    print(f"per-family queries: median {naive_ms:.1f} ms, {naive_queries} queries")
    print(f"ratio: the product is {naive_ms / real_ms:.1f}x faster")


if __name__ == "__main__":
    main()
