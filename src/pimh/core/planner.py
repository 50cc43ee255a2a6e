"""PostgreSQL planner costs for a service whose tables and indexes fit in memory.

PostgreSQL's default ``random_page_cost`` of 4 assumes spinning disks. With it the planner prefers
to hash every family of a team (tens of thousands at the size of a large trust) over probing the
primary key of the few families a page's tasks or referrals belong to, so that scoped pages grow
with the team. 1.1 is the usual value for SSD or cached storage. Set on each new connection, so it
holds whatever way the database settings were made (environment, tests, benchmarks).
"""

from __future__ import annotations

from typing import Any

RANDOM_PAGE_COST = 1.1


def set_planner_costs(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET random_page_cost = {RANDOM_PAGE_COST}")
