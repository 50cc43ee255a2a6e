"""Date arithmetic in the database's own terms.

Django writes ``F("date") + timedelta`` on SQLite as a call to a Python function for every row
examined; SQLite's built-in ``date()`` does the same in C. PostgreSQL adds whole days to a date natively.
"""

from __future__ import annotations

from typing import Any

from django.db.models import DateField, Func


class PlusDays(Func):
    """``expression + days`` for a date column, on PostgreSQL and SQLite."""

    output_field = DateField()

    def __init__(self, expression: Any, days: int) -> None:
        self.days = int(days)  # a whole number written into the SQL, never text from a user
        super().__init__(expression)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, template=f"(%(expressions)s + {self.days})", **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, template=f"date(%(expressions)s, '{self.days:+d} days')", **extra)
