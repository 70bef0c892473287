"""Reports read from the replica when one is named (issue 18, item 6).

The replica here is a second connection to the suite's database whose every
transaction is read-only (``default_transaction_read_only``), as a hot
standby's are: a report that wrote to it, or read its figures from the main
database instead, fails these tests. The data is committed (a transactional
test), so the second connection sees it as a replica sees what has been
replayed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.utils import CaptureQueriesContext

from cse_cases.models import Role
from reports import services
from reports.models import ReportRun, RunStatus
from reports.period import Period
from tests.conftest import verified
from tests.factories import CaseFactory, UserFactory
from tests.reports.measures.helpers import episode, person, referral

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2027, 4, 14, 10, 0, tzinfo=LONDON)
# The tables the figures come from: none of them may be read on the main
# database while a report is counted.
FIGURE_TABLES = (
    '"cse_cases_youngperson"',
    '"cse_cases_case"',
    '"cse_cases_missingepisode"',
    '"cse_cases_returninterview"',
    '"referrals_referral"',
    '"assessments_',
    '"supervision_',
)


@pytest.fixture
def replica(transactional_db, settings) -> Iterator[BaseDatabaseWrapper]:
    main = connections["default"].settings_dict
    options = {**main.get("OPTIONS", {}), "options": "-c default_transaction_read_only=on"}
    # Made here rather than in settings.DATABASES, which the suite reads
    # once at start: a connection the handler holds but its settings do not
    # name is one the test framework lets a test open.
    wrapper = connections["default"].__class__({**main, "OPTIONS": options}, alias="replica")
    connections["replica"] = wrapper
    settings.REPORTS_DATABASE = "replica"
    try:
        yield wrapper
    finally:
        wrapper.close()
        del connections["replica"]


@pytest.fixture
def partnership(kingsmere, kingsmere_social_care):
    commissioner = UserFactory(
        role=Role.COMMISSIONER, agency=kingsmere_social_care, areas=[kingsmere]
    )
    worker = UserFactory(agency=kingsmere_social_care, areas=[kingsmere])
    for n in range(12):
        child = person(kingsmere, worker, gender="male" if n % 3 else "female")
        CaseFactory(young_person=child, area=kingsmere, lead_professional=worker)
        received = datetime(2027, 1, 4 + n, 10, 0, tzinfo=LONDON)
        referral(kingsmere, worker, received, young_person=child, decided_at=received)
        gone = received + timedelta(days=20)
        episode(child, worker, gone, returned_at=gone + timedelta(hours=30))
    return commissioner


def make(commissioner, run_tasks) -> ReportRun:
    with time_machine.travel(NOW, tick=False), run_tasks():
        requested = services.report_request(
            user=verified(commissioner),
            area_ids=list(commissioner.areas.values_list("pk", flat=True)),
            period=Period.quarter(2027, 1),
        )
    return ReportRun.objects.get(pk=requested.run.pk)


def test_the_figures_are_read_from_the_replica_and_nothing_is_written_there(
    replica, partnership, run_tasks, settings
):
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_main,
    ):
        run = make(partnership, run_tasks)
    # Finished: had the report written to the read-only replica, it would
    # have failed ("cannot execute ... in a read-only transaction").
    assert run.status == RunStatus.DONE, run.failure
    read_there = " ".join(q["sql"] for q in on_replica.captured_queries)
    for table in ('"referrals_referral"', '"cse_cases_missingepisode"', '"cse_cases_case"'):
        assert table in read_there
    read_here = [
        q["sql"]
        for q in on_main.captured_queries
        if any(table in q["sql"] for table in FIGURE_TABLES)
    ]
    assert read_here == []
    # The same figures as counting on the main database.
    settings.REPORTS_DATABASE = "default"
    other = UserFactory(role=Role.COMMISSIONER, areas=list(partnership.areas.all()))
    again = make(other, run_tasks)
    assert again.status == RunStatus.DONE
    assert again.result == run.result


def test_a_named_replica_becomes_the_report_database():
    """DATABASE_REPLICA_URL names the replica; without it, the main database."""
    probe = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='cse_cases.wiring.settings';"
        "django.setup(); from django.conf import settings as s;"
        "print(s.REPORTS_DATABASE, s.DATABASES.get('replica', {}).get('HOST', '-'),"
        " s.DATABASES.get('replica', {}).get('NAME', '-'))"
    )
    env = {**os.environ, "DATABASE_REPLICA_URL": "postgres://reader@replica.internal:5432/harbour"}
    named = subprocess.run(  # noqa: S603 - this interpreter, a fixed probe
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert named.stdout.split() == ["replica", "replica.internal", "harbour"]
    env.pop("DATABASE_REPLICA_URL")
    unnamed = subprocess.run(  # noqa: S603 - this interpreter, a fixed probe
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert unnamed.stdout.split() == ["default", "-", "-"]
