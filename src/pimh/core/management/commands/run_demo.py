"""``manage.py run_demo [ADDRPORT]``: what ``make run`` does, in one Django start.

Applies any unapplied migrations, loads the demo (2,500 children) when the database holds no
families, prints the demo logins, then serves with Django's development server (auto-reload on).
The reloader starts the server in a child process; the migrations and the demo run only once, in
the parent, before it.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Migrate, load the demo if the database is empty, and serve (development server)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="address and port to serve on")

    def handle(self, *args: Any, addrport: str, **options: Any) -> None:
        if os.environ.get("RUN_MAIN") != "true":  # the reloader's parent: prepare once
            from django.db import connection
            from django.db.migrations.executor import MigrationExecutor

            from pimh.cli import _print_logins
            from pimh.demo.loader import database_is_empty, load_demo

            executor = MigrationExecutor(connection)
            if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                call_command("migrate", interactive=False, verbosity=0)
            if database_is_empty():
                print(load_demo(children=2500).describe())
            else:
                print("The database already holds families: demo not loaded again.")
            _print_logins()
            print(f"Serving PIMH Pathway on http://{addrport} (Ctrl+C to stop)", flush=True)
        call_command("runserver", addrport)
