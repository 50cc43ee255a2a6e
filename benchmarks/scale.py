"""Median server time of every page in the URL map at two sizes of the demo, and the ratio per page.

For each size a fresh database is made (a SQLite file, or a throwaway PostgreSQL cluster with
``--postgres``) in its own process, the demo is loaded, and every page of the URL map that the
health visitor ``hv1``, the team lead ``lead``, the specialist ``sphv`` and the analyst ``analyst``
can open is timed with Django's test client (middleware, view, queries, template; one warm-up, then
``--runs`` requests, median). Pages with a key in their address are opened for one record of the
user's own caseload. Administration, the API and sign-in pages are left out.

    .venv/bin/python benchmarks/scale.py [--postgres] [--sizes 2500,50000] [--runs 7] [--out FILE.json]

Prints a table (page, user, median at each size, ratio) and writes the results as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

USERS = ("hv1", "lead", "sphv", "analyst")
SKIPPED_PREFIXES = ("admin/", "api/", "fhir/", "login/", "logout/", "account/", "help/")
AIM = 1.5


def _patterns() -> list[tuple[str, str | None]]:
    from django.urls import URLResolver, get_resolver

    def walk(patterns, prefix=""):  # type: ignore[no-untyped-def]
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern), p.name

    return [
        (route, name) for route, name in walk(get_resolver().url_patterns) if not route.startswith(SKIPPED_PREFIXES)
    ]


def _keys(username: str) -> dict[str, int]:
    """One record of this user's own work for each kind of key in the URL map."""
    from pimh.contacts.models import Contact, Task
    from pimh.core.models import User
    from pimh.families.models import Family, Person, Pregnancy
    from pimh.referrals.models import Referral
    from pimh.screening.models import Screen, UrgentFlag

    user = User.objects.get(username=username)
    hv1 = User.objects.get(username="hv1")
    family = Family.objects.filter(allocated_hv=hv1, referrals__isnull=False).order_by("reference").first()
    family = family or Family.objects.filter(allocated_hv=hv1).order_by("reference").first()
    return {
        "user": user.pk,
        "hv": hv1.pk,
        "family": family.pk,
        "person": Person.objects.filter(family=family).order_by("pk").first().pk,
        "pregnancy": (Pregnancy.objects.filter(family__allocated_hv=hv1).order_by("pk").first() or family).pk,
        "contact": (Contact.objects.filter(family=family).order_by("pk").first() or family).pk,
        "screen": (Screen.objects.filter(family=family).order_by("pk").first() or family).pk,
        "referral": (Referral.objects.filter(family=family).order_by("pk").first() or family).pk,
        "flag": (UrgentFlag.objects.order_by("pk").first() or family).pk,
        "task": (Task.objects.filter(family=family).order_by("pk").first() or family).pk,
    }


KEY_OF = {
    "families/": "family",
    "people/": "person",
    "pregnancies/": "pregnancy",
    "contacts/": "contact",
    "screens/": "screen",
    "referrals/": "referral",
    "flags/": "flag",
    "tasks/": "task",
    "team/": "hv",
    "suggestions/": "screen",
    "relationship/": "family",
}


def _url(route: str, keys: dict[str, int]) -> str | None:
    if "<" not in route:
        return "/" + route
    if route.count("<") > 1 or "<int:pk>" not in route:
        return None
    kind = next((k for prefix, k in KEY_OF.items() if route.startswith(prefix)), None)
    return None if kind is None else "/" + route.replace("<int:pk>", str(keys[kind]))


def worker(size: int, postgres: bool, runs: int, out: Path) -> None:
    from benchmarks.caseload import configure

    configure(postgres)
    from django.conf import settings

    # Pages a user may not open answer 403/404, drawn with the static files; no manifest here.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pimh.core.models import User
    from pimh.demo.loader import load_demo

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_demo(seed=1, children=size)
    load_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # Measure the steady state: without this, autovacuum's first pass over the freshly loaded tables
        # ran during the measurements of one run and doubled every page's time while it lasted.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    results = []
    for username in USERS:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        keys = _keys(username)
        for route, name in _patterns():
            url = _url(route, keys)
            if url is None:
                continue
            first = client.get(url)
            if first.status_code != 200 or not first.get("Content-Type", "").startswith("text/html"):
                continue
            timings = []
            for _ in range(runs):
                start = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            results.append(
                {
                    "user": username,
                    "page": name,
                    "route": route,
                    "ms": statistics.median(timings),
                    "queries": len(queries),
                }
            )
    out.write_text(
        json.dumps({"size": size, "load_seconds": load_seconds, "load_average": os.getloadavg(), "pages": results})
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--sizes", default="2500,50000")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--worker", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.postgres, args.runs, args.worker_out)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="pimh-scale-"))
    runs = []
    for size in sizes:
        part = folder / f"{size}.json"
        command = [sys.executable, __file__, "--worker", str(size), "--runs", str(args.runs), "--worker-out", str(part)]
        command += ["--postgres"] if args.postgres else []
        subprocess.run(command, check=True)  # noqa: S603 (this script, with its own arguments)
        runs.append(json.loads(part.read_text()))
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {engine}, {args.runs} runs"
    )
    for run in runs:
        print(
            f"demo of {run['size']:,} children loaded in {run['load_seconds']:.1f} s; load average {run['load_average']}"
        )
    small, large = runs[0], runs[-1]
    at_large = {(p["user"], p["page"]): p for p in large["pages"]}
    rows = []
    print(f"| user | page | {small['size']:,} (ms) | {large['size']:,} (ms) | ratio | queries |")
    print("|---|---|---|---|---|---|")
    for p in small["pages"]:
        q = at_large.get((p["user"], p["page"]))
        if q is None:
            continue
        ratio = q["ms"] / p["ms"]
        rows.append({**p, "ms_large": q["ms"], "ratio": ratio, "queries_large": q["queries"]})
        flag = " **over**" if ratio > AIM else ""
        print(
            f"| {p['user']} | {p['route']} | {p['ms']:.1f} | {q['ms']:.1f} | {ratio:.2f}{flag} | "
            f"{p['queries']} / {q['queries']} |"
        )
    out = args.out or folder / "scale.json"
    out.write_text(json.dumps({"engine": engine, "runs": runs, "compared": rows}, indent=1))
    print(f"results written to {out}")


if __name__ == "__main__":
    main()
