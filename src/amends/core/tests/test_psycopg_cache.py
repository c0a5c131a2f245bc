"""Long statements with many parameters (intake's one read and one write) are converted once per process."""

import pytest
from django.db import connection

from amends.core.psycopg_cache import LONGEST, widen

pytestmark = pytest.mark.django_db


def _long_statement(values: int) -> str:
    # Over psycopg's own limits (4 KB, 50 parameters) and under ours.
    padding = ", ".join(f"%s AS column_{i:04d}_with_a_long_name_to_make_the_statement_long" for i in range(values))
    return f"SELECT {padding}"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg converts placeholders on PostgreSQL only")
def test_a_long_statement_with_many_parameters_is_converted_once():
    from psycopg import _queries

    assert widen(), "psycopg's conversion cache is no longer where core.psycopg_cache looks for it"
    statement = _long_statement(120)
    assert 4096 < len(statement) <= LONGEST
    cache = _queries._query2pg
    with connection.cursor() as cursor:
        cursor.execute(statement, list(range(120)))
        first = cache.cache_info()
        cursor.execute(statement, list(range(1000, 1120)))
        second = cache.cache_info()
        assert cursor.fetchone()[119] == 1119
    assert second.hits == first.hits + 1
    assert second.misses == first.misses


def test_widening_twice_changes_nothing():
    from psycopg import _queries

    widen()
    cache = _queries._query2pg
    assert widen()
    assert _queries._query2pg is cache


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statements are prepared on PostgreSQL only")
def test_a_statement_repeated_on_a_connection_is_prepared_and_planned_once():
    statement = "SELECT %s::int + 41 AS prepared_once_check"
    with connection.cursor() as cursor:
        for n in range(connection.settings_dict["OPTIONS"]["prepare_threshold"] + 1):
            cursor.execute(statement, [n])
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%prepared_once_check%"])
        assert cursor.fetchone()[0] == 1
