from django.db import connection

from tests.conftest import USE_POSTGRES


def test_suite_runs_on_the_database_it_was_asked_for(db):
    assert connection.vendor == ("postgresql" if USE_POSTGRES else "sqlite")
    with connection.cursor() as cursor:
        cursor.execute("select 1")
        assert cursor.fetchone() == (1,)
