"""Each sweep records its start and finish; "my work", the team view and the
API say when work was last checked, and never "nothing overdue" before a
sweep has finished, or when the last one is out of date (issue 15, item 3)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from supervision import selectors, services, tasks
from supervision.models import Flag, SweepRun
from tests.conftest import signed_in_client
from tests.supervision.conftest import record_returned_episode

pytestmark = pytest.mark.django_db

NOT_YET = "Not yet checked: the first check runs within a few minutes of Harbour starting."


def text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def finished_sweep(*, ago: timedelta, every_rule: bool = True) -> SweepRun:
    at = timezone.now() - ago
    return SweepRun.objects.create(
        started_at=at - timedelta(seconds=30), finished_at=at, every_rule=every_rule
    )


def test_a_sweep_records_when_it_started_and_finished_and_what_it_changed(jade, amira, jades_case):
    record_returned_episode(by=amira, young_person=jade)
    before = timezone.now()
    services.flags_sweep(now=timezone.now())
    run = SweepRun.objects.get()
    assert before <= run.started_at <= run.finished_at <= timezone.now()
    assert run.every_rule
    assert (run.raised, run.updated, run.resolved) == (Flag.objects.count(), 0, 0)
    assert run.raised >= 1


def test_a_sweep_of_some_rules_is_recorded_but_is_not_a_check_of_everything(jade, amira):
    services.flags_sweep(now=timezone.now(), kinds=["return_interview"])
    assert SweepRun.objects.get().every_rule is False
    assert not selectors.sweep_status(timezone.now()).checked


def test_sweeps_older_than_a_month_are_pruned_as_each_sweep_finishes(db):
    old = finished_sweep(ago=timedelta(days=services.SWEEP_RUNS_KEPT_DAYS + 1))
    kept = finished_sweep(ago=timedelta(days=services.SWEEP_RUNS_KEPT_DAYS - 1))
    services.flags_sweep(now=timezone.now())
    assert not SweepRun.objects.filter(pk=old.pk).exists()
    assert SweepRun.objects.filter(pk=kept.pk).exists()
    assert SweepRun.objects.count() == 2


def test_my_work_says_not_yet_checked_until_a_sweep_has_finished(amira):
    client = signed_in_client(amira)
    page = text(client.get(reverse("my-work")))
    assert NOT_YET in page
    assert "Nothing overdue" not in page
    # A sweep that started and has not finished is not a check.
    SweepRun.objects.create(started_at=timezone.now())
    assert NOT_YET in text(client.get(reverse("my-work")))
    services.flags_sweep(now=timezone.now())
    page = text(client.get(reverse("my-work")))
    finished = timezone.localtime(SweepRun.objects.get(finished_at__isnull=False).finished_at)
    assert f"Last checked at {finished:%H:%M}" in page
    assert "Checks run every 15 minutes" in page
    assert "Nothing overdue. Well done." in page
    assert "Not yet checked" not in page


def test_an_overdue_referral_shows_once_the_first_sweep_has_run(jo, jade, amira, jades_case):
    """The reviewer's fresh start: an overdue referral nobody holds, and a CSE
    lead told "nothing overdue" because beat had not run yet."""
    import uuid

    from referrals import services as referral_services
    from referrals.models import Referral
    from tests.conftest import verified
    from tests.referrals.conftest import referral_data

    referral, _ = referral_services.referral_create(
        by=verified(amira), data=referral_data(), young_person=jade, idempotency_key=uuid.uuid4()
    )
    Referral.objects.filter(pk=referral.pk).update(
        decision_due_at=timezone.now() - timedelta(days=3)
    )
    client = signed_in_client(jo)
    page = text(client.get(reverse("team-flags")))
    assert NOT_YET in page
    assert "No open flags" not in page
    tasks.sweep_flags()
    page = text(client.get(reverse("team-flags")))
    assert "Referral decision" in page
    assert "Last checked at" in page


def test_a_stale_sweep_is_called_out_of_date(amira, sam):
    # Three missed runs of a 15-minute schedule, and a little more.
    finished_sweep(ago=timedelta(minutes=46))
    for person, name in ((amira, "my-work"), (sam, "team-flags")):
        page = text(signed_in_client(person).get(reverse(name)))
        assert "Out of date: the last check finished at" in page
        assert "more than 45 minutes ago (checks run every 15 minutes)" in page
        assert "Nothing overdue. Well done." not in page
        assert "No open flags." not in page
        assert "Nothing was overdue at the last check, but that check is out of date." in page


def test_a_recent_sweep_is_not_stale(amira):
    finished_sweep(ago=timedelta(minutes=44))
    page = text(signed_in_client(amira).get(reverse("my-work")))
    assert "Last checked at" in page
    assert "Out of date" not in page


def test_an_earlier_days_sweep_names_its_date(amira):
    finished_sweep(ago=timedelta(days=2))
    page = text(signed_in_client(amira).get(reverse("my-work")))
    day = timezone.localtime(timezone.now() - timedelta(days=2))
    assert f"on {day.day} {day:%B %Y}" in page


def test_staleness_follows_the_schedule_administrators_set(amira):
    hourly = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    PeriodicTask.objects.create(
        name="sweep-flags", task="supervision.tasks.sweep_flags", interval=hourly
    )
    finished_sweep(ago=timedelta(hours=2))
    page = text(signed_in_client(amira).get(reverse("my-work")))
    assert "Last checked at" in page
    assert "Checks run every 60 minutes" in page
    finished_sweep(ago=timedelta(hours=4))
    SweepRun.objects.filter(finished_at__gt=timezone.now() - timedelta(hours=3)).delete()
    page = text(signed_in_client(amira).get(reverse("my-work")))
    assert "more than 3 hours ago" in page


def test_the_api_says_when_the_last_sweep_finished(amira):
    client = signed_in_client(amira)
    before = client.get(reverse("flag-api-list")).json()
    assert before["last_sweep_finished_at"] is None
    assert before["last_sweep_stale"] is True
    services.flags_sweep(now=timezone.now())
    after = client.get(reverse("flag-api-list")).json()
    finished = SweepRun.objects.get().finished_at
    from datetime import datetime

    assert datetime.fromisoformat(after["last_sweep_finished_at"]) == finished
    assert after["last_sweep_stale"] is False
    assert after["results"] == []


@pytest.mark.parametrize("name", ["my-work", "team-flags"])
def test_the_pages_run_a_fixed_number_of_queries_whatever_the_sweeps_and_flags(
    name, jade, amira, sam, jades_case, django_assert_max_num_queries
):
    person = amira if name == "my-work" else sam
    client = signed_in_client(person)
    record_returned_episode(by=amira, young_person=jade)
    services.flags_sweep(now=timezone.now())
    client.get(reverse(name))
    with django_assert_max_num_queries(20) as small:
        assert client.get(reverse(name)).status_code == 200
    # (Read now: the next request clears the connection's query log.)
    queries = len(small.captured_queries)
    SweepRun.objects.bulk_create(
        SweepRun(started_at=timezone.now() - timedelta(minutes=n), finished_at=timezone.now())
        for n in range(50)
    )
    Flag.objects.bulk_create(
        Flag(
            kind=kind,
            subject_type="case",
            subject_id=9000 + n,
            young_person=jade,
            area=jade.area,
            owner=amira,
            team=amira.team,
            due_at=timezone.now() - timedelta(days=n),
        )
        for n, kind in enumerate(["no_contact", "action", "plan_review"] * 5)
    )
    client.get(reverse(name))
    with django_assert_max_num_queries(queries):
        page = text(client.get(reverse(name)))
    assert "Last checked at" in page


def test_the_first_sweep_is_sent_once_however_many_processes_ask(db):
    cache.delete(tasks.FIRST_SWEEP_CLAIM)
    try:
        sent = [tasks.send_first_sweep() for _ in range(5)]
        assert sent == [True, False, False, False, False]
        # Held for one sweep interval, then a restart sends one again.
        key = cache.make_key(tasks.FIRST_SWEEP_CLAIM)
        ttl = cache._cache.get_client(key).ttl(key)
        assert 14 * 60 < ttl <= 15 * 60
    finally:
        cache.delete(tasks.FIRST_SWEEP_CLAIM)
        # No worker runs here: take the sweep it queued off the real broker,
        # so the next test that starts a worker does not run it.
        from cse_cases.wiring.celery import app

        app.control.purge()


def start_beat(env: dict, schedule_file: str):
    import subprocess
    import sys

    from django.conf import settings

    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cse_cases.wiring",
            "beat",
            "--loglevel=INFO",
            "--pidfile=",
            "-s",
            schedule_file,
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def beat_says(beat, words: str, seconds: float = 60) -> str:
    """Read beat's log until it says `words`; then stop it."""
    import time

    seen = []
    deadline = time.monotonic() + seconds
    try:
        for line in beat.stdout:
            seen.append(line)
            if words in line or time.monotonic() > deadline:
                break
    finally:
        beat.terminate()
        beat.wait(timeout=30)
    return "".join(seen)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_starting_the_stack_runs_the_first_sweep_at_once_and_only_once(
    celery_worker_process,
    tmp_path,
):
    """Real beat, real worker, real Redis: the sweep runs when beat starts, not
    a sweep interval later; a second beat starting sends no second sweep."""
    import os
    import time

    from tests.worker import worker_database_url

    cache.delete(tasks.FIRST_SWEEP_CLAIM)
    env = {**os.environ, "DATABASE_URL": worker_database_url()}
    try:
        first = beat_says(start_beat(env, str(tmp_path / "one")), "first sweep sent at start")
        assert "flags: first sweep sent at start" in first
        deadline = time.monotonic() + 60
        while not SweepRun.objects.filter(every_rule=True, finished_at__isnull=False).exists():
            assert time.monotonic() < deadline, "the first sweep did not finish within a minute"
            time.sleep(0.2)
        second = beat_says(start_beat(env, str(tmp_path / "two")), "not sending another")
        assert "a first sweep was sent within the last interval; not sending another" in second
    finally:
        cache.delete(tasks.FIRST_SWEEP_CLAIM)
