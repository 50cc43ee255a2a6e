"""schemathesis generates requests from the OpenAPI document: no server error and no answer outside the schema.

Authenticated as a health visitor with a personal token; a fixed seed, so a failure is repeatable. In-process
through the WSGI application (no server), at least 1,000 requests in all, on SQLite and on PostgreSQL.

Called through the bare WSGI application, each request fires ``request_started``/``request_finished``, whose
``close_old_connections`` closes the database connection (``CONN_MAX_AGE`` 0). SQLite's in-memory test
database ignores the close; on PostgreSQL it closed the test's own connection inside its transaction, so every
later request failed with "the connection is closed" (the cause of the earlier PostgreSQL-only failure).
Django's test client disconnects that handler for the same reason; so does ``keep_the_test_connection``.
"""

from __future__ import annotations

import math

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_the_test_connection():
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


AT_LEAST = 1_000
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_generated_requests_get_no_5xx_and_conform_to_the_schema(hv, team_a, keep_the_test_connection):
    from django.core.wsgi import get_wsgi_application

    from pimh.core import tokens
    from tests.conftest import make_family

    for _ in range(3):
        make_family(by=hv, team=team_a, allocated_hv=hv)
    headers = {"Authorization": f"Bearer {tokens.create_token(by=hv, name='fuzz', days=1)[1]}"}
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    per_operation = math.ceil(AT_LEAST / len(operations))
    sent = []

    for operation in operations:

        @seed(20261201)
        @settings(
            max_examples=per_operation,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call(headers=headers)
            sent.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        check()

    assert len(sent) >= AT_LEAST
    assert max(sent) < 500
    assert sent.count(200) >= 100  # the generated requests reach real records, not only refusals
