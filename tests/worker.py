"""A real Celery worker process, through the real Redis broker, for tests
that need one (tests/cse_cases/test_worker.py, the report journey).

The worker is another process: it reaches the database pytest-django made
through the URL built here, so the test using it needs a transactional db.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from cse_cases.wiring.celery import app


def worker_database_url() -> str:
    """The URL of the database pytest-django created, for the worker process."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture
def worker_outbox(tmp_path) -> Path:
    """Where the worker process writes the mail it sends (one file per message)."""
    return tmp_path / "outbox"


@pytest.fixture
def celery_worker_process(transactional_db, worker_outbox):
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        # The worker is another process: its mail goes to files this test reads.
        "EMAIL_URL": f"filemail:///{worker_outbox}",
    }
    name = f"harbour-test-{os.getpid()}@localhost"
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cse_cases.wiring",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
            "-n",
            name,
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(destination=[name], timeout=1):
            break
        if worker.poll() is not None:
            pytest.fail(f"The Celery worker exited:\n{worker.stdout.read()}")
    else:
        worker.kill()
        pytest.fail("The Celery worker did not answer a ping within 60 seconds.")
    yield worker
    worker.terminate()
    output, _ = worker.communicate(timeout=30)
    print(output)  # shown by pytest when a test fails
