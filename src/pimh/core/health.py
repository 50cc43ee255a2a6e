"""Health checks for a load balancer or container runtime: ``/health/live`` and ``/health/ready``.

Answered by the first middleware, before the host check, the HTTPS redirect,
sessions and sign-in, so that a probe on plain HTTP from inside the container
works; the answers hold no identifiable data, only a status word.

- live: the process answers (no database query);
- ready: the database answers, and every migration has been applied.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse

LIVE = "/health/live"
READY = "/health/ready"
_migrated = False  # once true, stays true for the process (new migrations come with a restart)


def _unapplied_migrations() -> bool:
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def readiness() -> tuple[int, str]:
    global _migrated
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrated:
            if _unapplied_migrations():
                return 503, "migrations not applied"
            _migrated = True
    except DatabaseError:
        return 503, "database unavailable"
    return 200, "ready"


def _answer(status: int, text: str) -> HttpResponse:
    response = JsonResponse({"status": text}, status=status)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info.rstrip("/")
        if path == LIVE:
            return _answer(200, "live")
        if path == READY:
            return _answer(*readiness())
        return self.get_response(request)
