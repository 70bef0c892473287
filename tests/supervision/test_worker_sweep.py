"""A real Celery worker killed in the middle of a sweep, then a clean re-run."""

from __future__ import annotations

import os
import signal
import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone

from cse_cases.working_days import add_working_days
from referrals import services as referral_services
from referrals.models import Referral
from supervision import services, tasks
from supervision.models import Flag
from tests.conftest import verified
from tests.referrals.conftest import referral_data
from tests.supervision.conftest import record_returned_episode

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
LONDON = ZoneInfo("Europe/London")


def wait_for(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"Gave up waiting for {what}")


def test_a_worker_killed_mid_sweep_leaves_no_duplicates_and_the_next_run_completes(
    celery_worker_process,
    sara,
    jade,
    jades_case,
    amira,
):
    # Two drifting subjects, for the first two rules of the sweep.
    referral, _ = referral_services.referral_create(
        by=verified(amira), data=referral_data(), young_person=jade, idempotency_key=uuid.uuid4()
    )
    received = datetime(2026, 11, 13, 15, 0, tzinfo=LONDON)
    Referral.objects.filter(pk=referral.pk).update(
        received_at=received, decision_due_at=add_working_days(received, 1, "ENG")
    )
    episode = record_returned_episode(by=amira, young_person=jade)
    # Another session is half-way through writing the return interview's flag:
    # the worker's second rule waits on it, after its first rule committed.
    blocker = psycopg2.connect(**connection.get_connection_params())
    with blocker.cursor() as cursor:
        cursor.execute(
            "INSERT INTO supervision_flag (kind, subject_type, subject_id, area_id, high_risk,"
            " raised_at, due_at, escalation, resolution)"
            " VALUES ('return_interview', 'missing_episode', %s, %s, false, %s, %s, 0, '')",
            # Python's clock, as the app uses: the database server's may differ.
            (episode.pk, jade.area_id, timezone.now(), timezone.now()),
        )
    tasks.sweep_flags.delay()
    wait_for(
        lambda: Flag.objects.filter(kind="referral_decision").exists(),
        "the first rule to commit",
    )
    with blocker.cursor() as cursor:
        wait_for(
            lambda: (
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND datname = current_database()"
                )
                or cursor.fetchone()[0] > 0
            ),
            "the worker to block on the second rule",
        )
    os.kill(celery_worker_process.pid, signal.SIGKILL)
    celery_worker_process.wait(timeout=30)
    blocker.rollback()
    blocker.close()
    # The killed sweep's second rule rolled back; nothing is half-written.
    assert Flag.objects.filter(kind="referral_decision").count() == 1
    assert not Flag.objects.filter(kind="return_interview").exists()
    services.flags_sweep(now=timezone.now())
    assert Flag.objects.filter(kind="referral_decision").count() == 1
    assert Flag.objects.filter(kind="return_interview").count() == 1


def test_a_sweep_that_changes_many_flags_refreshes_their_statistics(
    jade, amira, jades_case, monkeypatch
):
    from supervision import engine

    # Outside a transaction, as in a worker: a sweep changing more than
    # BULK_CHANGE flags vacuums and analyses the table so the next sweep plans
    # with the right sizes. (Here, one flag is "many".)
    record_returned_episode(by=amira, young_person=jade)
    monkeypatch.setattr(engine, "BULK_CHANGE", 0)
    services.flags_sweep(now=timezone.now(), kinds=["return_interview"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT last_vacuum, last_analyze FROM pg_stat_user_tables WHERE relname = %s",
            [Flag._meta.db_table],
        )
        vacuumed, analysed = cursor.fetchone()
    assert vacuumed is not None
    assert analysed is not None
