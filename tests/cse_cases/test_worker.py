"""Tasks executed by a real Celery worker process, through the real Redis broker."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from email import message_from_string
from email.message import Message
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from cse_cases import tasks
from cse_cases.wiring.celery import app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def make_session(*, expires_in: timedelta) -> str:
    store = SessionStore()
    store["note"] = "x"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + expires_in
    )
    return store.session_key


def test_worker_clears_expired_sessions(celery_worker_process) -> None:
    stale = [make_session(expires_in=timedelta(minutes=-5)) for _ in range(3)]
    live = make_session(expires_in=timedelta(minutes=25))

    result = tasks.clear_expired_sessions.delay()
    assert result.get(timeout=60) == 3

    remaining = set(Session.objects.values_list("session_key", flat=True))
    assert live in remaining
    assert not remaining.intersection(stale)


def sent_mail(outbox: Path) -> list[Message]:
    if not outbox.exists():
        return []
    return [
        message_from_string(part)
        for path in sorted(outbox.iterdir())
        for part in path.read_text().split("-" * 79)
        if part.strip()
    ]


def test_worker_sends_the_password_changed_notice(
    celery_worker_process, worker_outbox, amira
) -> None:
    assert amira.email
    tasks.send_password_changed_notice.delay(amira.pk).get(timeout=60)

    (notice,) = sent_mail(worker_outbox)
    assert notice["To"] == amira.email
    assert notice["Subject"] == "Your Harbour password was changed"
    assert "Amira" in notice.get_payload()

    # Running it twice is harmless: the notice is simply sent again.
    tasks.send_password_changed_notice.delay(amira.pk).get(timeout=60)
    assert [m["To"] for m in sent_mail(worker_outbox)] == [amira.email, amira.email]


def test_beat_schedule_names_registered_tasks() -> None:
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def test_a_fresh_process_knows_every_scheduled_task() -> None:
    """Not only a process in which some other module imported the tasks."""
    script = (
        "import django, json; django.setup(); "
        "from django.conf import settings; from cse_cases.wiring.celery import app; "
        "print(json.dumps([e['task'] for e in settings.CELERY_BEAT_SCHEDULE.values()"
        " if e['task'] not in app.tasks]))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
