"""``manage.py wait_for_database --seconds N``: wait until the database accepts connections (container start-up)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection


class Command(BaseCommand):
    help = "Wait until the database accepts connections, for at most --seconds (default 60)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seconds", type=int, default=60, help="how long to wait (1 to 600)")

    def handle(self, *args: Any, seconds: int, **options: Any) -> None:
        if not 1 <= seconds <= 600:
            raise CommandError(f"--seconds must be from 1 to 600, not {seconds}")
        deadline = time.monotonic() + seconds
        while True:
            try:
                connection.ensure_connection()
                return
            except DatabaseError:
                connection.close()
                if time.monotonic() >= deadline:
                    raise CommandError(f"the database did not accept connections within {seconds} seconds") from None
                time.sleep(1)
