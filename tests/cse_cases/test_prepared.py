"""Heavy statements run as PostgreSQL prepared statements (cse_cases/prepared.py):
the same rows as before, in the same number of round trips."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cse_cases.models import Agency
from cse_cases.prepared import as_prepared, prepared_on, prepared_statements

pytestmark = pytest.mark.django_db


def test_a_select_is_prepared_once_then_executed(kingsmere) -> None:
    def names() -> list[str]:
        return list(Agency.objects.filter(name__startswith="K").values_list("name", flat=True))

    expected = names()
    with prepared_statements(), CaptureQueriesContext(connection) as queries:
        runs = [names() for _ in range(3)]
    assert runs == [expected] * 3
    verbs = [q["sql"].split(" ", 1)[0] for q in queries]
    # LIKE 'K%' keeps its literal %, and each run is one round trip.
    assert verbs[1:] == ["EXECUTE", "EXECUTE"]
    assert verbs[0] in ("PREPARE", "EXECUTE")


def test_placeholders_are_numbered_and_literal_percent_signs_kept() -> None:
    sql, name = as_prepared("SELECT %s || '%%' || %s", ["a", 2], set())
    assert name is not None
    assert sql.startswith(f"PREPARE {name}(text, bigint) AS SELECT $1 || '%%' || $2; EXECUTE")
    with connection.cursor() as cursor:
        cursor.execute(sql, ["a", 2])
        assert cursor.fetchone() == ("a%2",)


def test_a_parameter_of_another_type_runs_as_before() -> None:
    assert as_prepared("SELECT %s", [date(2026, 1, 1)], set()) == ("SELECT %s", None)


def test_a_new_database_session_prepares_again() -> None:
    # What Django's wrapper holds: `connection`, the driver's session, which is
    # a new object each time it connects.
    wrapper = SimpleNamespace(connection=object())
    prepared_on(wrapper).add("harbour_example")
    assert "harbour_example" in prepared_on(wrapper)
    wrapper.connection = object()
    assert "harbour_example" not in prepared_on(wrapper)


def test_the_record_pages_reads_run_prepared_in_as_many_round_trips(
    jade, jades_case, amira, sign_in
) -> None:
    client = sign_in(amira)
    url = reverse("young-person", args=[jade.pk])
    client.get(url)  # the process's first: content types, the kept timeline
    with CaptureQueriesContext(connection) as first:
        first_page = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as later:
        later_page = client.get(url).content.decode()
    assert len(later) == len(first)
    executed = [q for q in later if q["sql"].startswith("EXECUTE ")]
    # The record, its cases, their teams and risk history, the timeline, the
    # links and the panels.
    assert len(executed) >= 6
    assert jade.legal_first_name in first_page
    assert jade.legal_first_name in later_page


def test_a_deployment_behind_a_transaction_pooler_can_turn_them_off(
    jade, jades_case, amira, sign_in, settings
) -> None:
    settings.DATABASE_PREPARED_STATEMENTS = False
    client = sign_in(amira)
    url = reverse("young-person", args=[jade.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as page:
        content = client.get(url).content.decode()
    sent = [q["sql"] for q in page]
    assert not [sql for sql in sent if sql.startswith(("EXECUTE ", "PREPARE "))]
    assert jade.legal_first_name in content
