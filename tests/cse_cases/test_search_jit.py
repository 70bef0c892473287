"""Search reads with PostgreSQL's JIT off for its own transaction only
(cse_cases/nojit.py): a one-word search at 1,000,000 young people spent
0.67 of its 1.37 s compiling. A startup option would have done the same for
every statement, and is refused by pgbouncer."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cse_cases import selectors
from tests.conftest import verified

pytestmark = pytest.mark.django_db(transaction=True)


def _jit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        return cursor.fetchone()[0]


def test_a_search_runs_with_jit_off_and_the_setting_does_not_outlive_it(jo, jade) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET jit = on")  # whatever the server's default
    with CaptureQueriesContext(connection) as captured:
        found = selectors.search_young_people(verified(jo), text="morgan")
    assert jade in found
    sql = [query["sql"] for query in captured.captured_queries]
    assert sql.index("SET LOCAL jit = off") < next(
        n for n, s in enumerate(sql) if "cse_cases_youngperson" in s
    )
    assert _jit() == "on"
