"""Count the rows a page reads: every SELECT's result size, measured by counting it again.

Query-count tests catch N+1 queries; this catches a constant number of queries that each read more
rows as the caseload grows (a whole caseload counted row by row, every task refreshed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

_LOCK = re.compile(r"\s+FOR\s+(NO\s+KEY\s+)?UPDATE(\s+OF\s+.*)?$", re.IGNORECASE | re.DOTALL)


@dataclass
class RowCounter:
    rows: int = 0
    queries: list[tuple[int, str]] = field(default_factory=list)
    _busy: bool = False

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        if self._busy or many or not sql.lstrip().upper().startswith("SELECT"):
            return result
        self._busy = True
        try:
            with connection.cursor() as cursor:
                # The SQL is the ORM's own query, re-run unchanged inside a count.
                cursor.execute(f"SELECT COUNT(*) FROM ({_LOCK.sub('', sql)}) counted", params)  # noqa: S608
                (n,) = cursor.fetchone()
        finally:
            self._busy = False
        self.rows += n
        self.queries.append((n, sql))
        return result


@contextmanager
def rows_read() -> Iterator[RowCounter]:
    counter = RowCounter()
    with connection.execute_wrapper(counter):
        yield counter


def rows_for(client: Any, url: str) -> RowCounter:
    """The rows one view of ``url`` reads (after a first view that writes the session and refreshes tasks)."""
    assert client.get(url).status_code == 200
    with rows_read() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter
