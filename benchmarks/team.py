"""Median server time of the team lead's "Team" view against "My caseload", on the demo service.

Compares the product (three grouped queries: members, open tasks by practitioner and status,
infants by practitioner) with the obvious alternative it replaced (one query that annotates each
member with counts over a join of tasks and people), in the same run.

    .venv/bin/python benchmarks/team.py [--postgres] [--runs 20]
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


def median_ms(client, url: str, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200  # warm up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), len(queries)


def joined_members(lead):
    """The replaced implementation: counts over a join of tasks with every person of the families."""
    from django.db.models import Count, Q

    from pimh.contacts.presenters import OPEN_VALUES, TeamMember
    from pimh.contacts.task_states import TaskStatus
    from pimh.core.models import CLINICAL_ROLES, User

    team_ids = list(lead.teams.values_list("id", flat=True))
    in_teams = Q(tasks__family__team_id__in=team_ids)
    users = (
        User.objects.filter(teams__id__in=team_ids, role__in=CLINICAL_ROLES, is_active=True)
        .annotate(
            due=Count("tasks", filter=in_teams & Q(tasks__status=TaskStatus.DUE), distinct=True),
            overdue=Count("tasks", filter=in_teams & Q(tasks__status=TaskStatus.OVERDUE), distinct=True),
            urgent=Count(
                "tasks", filter=in_teams & Q(tasks__status__in=OPEN_VALUES, tasks__urgent=True), distinct=True
            ),
            children=Count(
                "allocated_families__people",
                filter=Q(allocated_families__team_id__in=team_ids, allocated_families__people__role="infant"),
                distinct=True,
            ),
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
    return [TeamMember(u, u.due, u.overdue, u.urgent, u.children) for u in users]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL cluster")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--children", type=int, default=2500)
    args = parser.parse_args()
    configure(args.postgres)

    from django.core.management import call_command
    from django.test import Client

    from pimh.contacts import presenters
    from pimh.core.models import Role, User
    from pimh.demo.loader import load_demo

    call_command("migrate", verbosity=0)
    load_demo(seed=1, children=args.children)
    hv, lead = User.objects.get(username="hv1"), User.objects.filter(role=Role.TEAM_LEAD).first()
    hv_client, lead_client = Client(), Client()
    hv_client.force_login(hv)
    lead_client.force_login(lead)

    caseload_ms, caseload_q = median_ms(hv_client, "/caseload/", args.runs)
    team_ms, team_q = median_ms(lead_client, "/team/", args.runs)
    assert [m.__dict__ for m in presenters.team_members(lead)] == [m.__dict__ for m in joined_members(lead)]
    real = presenters.team_members
    presenters.team_members = joined_members
    try:
        joined_ms, joined_q = median_ms(lead_client, "/team/", max(3, args.runs // 4))
    finally:
        presenters.team_members = real

    engine = "PostgreSQL 15" if args.postgres else "SQLite"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {engine}")
    print(f"demo of {args.children} children; lead {lead.username}; {args.runs} runs each")
    print(f"caseload (hv1): median {caseload_ms:.1f} ms, {caseload_q} queries")
    print(f"team view (grouped counts, the product): median {team_ms:.1f} ms, {team_q} queries")
    print(f"team view (join of tasks x people, replaced): median {joined_ms:.1f} ms, {joined_q} queries")
    print(
        f"team / caseload: {team_ms / caseload_ms:.2f}x; the product is {joined_ms / team_ms:.1f}x faster than the join"
    )


if __name__ == "__main__":
    main()
