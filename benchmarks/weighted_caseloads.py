"""Median server time of the team lead's "Caseload weights" page at a given number of demo children.

    .venv/bin/python benchmarks/weighted_caseloads.py [--postgres] [--children 2500] [--runs 10]

Loads the demo service into a fresh database (SQLite, or a throwaway PostgreSQL cluster), then times
the page with Django's test client as the lead: the page alone, and with hv1 chosen in the what-if form
and three of hv1's families moved to hv2.
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


def median_ms(client, params: dict[str, object], runs: int) -> float:
    client.get(URL, params)  # warm up templates and the session
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(URL, params)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL cluster")
    parser.add_argument("--children", type=int, default=2500)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--explain", action="store_true", help="print the plan of the per-practitioner sums")
    args = parser.parse_args()
    configure(args.postgres)
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    from django.core.management import call_command
    from django.test import Client

    from pimh.core.models import User
    from pimh.demo.loader import load_demo

    call_command("migrate", verbosity=0)
    load_demo(seed=1, children=args.children)
    lead, hv1, hv2 = (User.objects.get(username=name) for name in ("lead", "hv1", "hv2"))
    moving = list(hv1.allocated_families.order_by("reference").values_list("pk", flat=True)[:3])
    client = Client()
    client.force_login(lead)
    page = median_ms(client, {}, args.runs)
    listed = median_ms(client, {"source": hv1.pk}, args.runs)
    what_if = median_ms(client, {"source": hv1.pk, "families": moving, "to": hv2.pk}, args.runs)
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {engine}")
    print(f"{args.children} children, hv1 holds {hv1.allocated_families.count()} families; {args.runs} runs each")
    print(f"page: median {page:.0f} ms; hv1's families listed: {listed:.0f} ms; what-if: {what_if:.0f} ms")
    print(f"load average: {os.getloadavg()}")
    if args.explain:
        from django.utils import timezone

        from pimh.workforce import caseload, presenters

        weights = caseload.load_weights()
        from pimh.families.scope import Scope

        team = presenters.team_caseloads(Scope(lead), today=timezone.localdate(), weights=weights)
        for query in presenters.sums_queries(
            team.scope,
            team.loads,
            today=timezone.localdate(),
            weights=weights,
            practitioner_ids=[p.pk for p in team.practitioners],
        ):
            print(query.explain(analyze=True))
        print(team.families_of(hv1.pk).values("pk", "reference", "children", "weight")[:50].explain(analyze=True))


if __name__ == "__main__":
    main()
