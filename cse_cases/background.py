"""How a service sends a background task: by the task's name, on commit.

Tasks import services (a task loads rows by id and calls one service), so a
service importing its app's tasks module would close an import cycle. A
service names the task instead (each task declares its name explicitly, as
``@shared_task(name="referrals.tasks.send_referral_feedback")``), and the name
is looked up in the Celery app's registry, which holds every app's tasks
(cse_cases/celery.py imports each tasks module when the registry is first
used). The task still runs through the registered task object, so the suite's
``run_tasks`` fixture (eager tasks) and a real worker both see it.
"""

from __future__ import annotations

import functools

from celery import current_app
from celery.app.task import Task
from django.db import transaction


def _task(task_name: str) -> Task:
    # Looked up now, not when the transaction commits: a misspelt name fails
    # the service (and rolls back its transaction) instead of losing the email.
    return current_app.tasks[task_name]


def send_on_commit(task_name: str, *args: object) -> None:
    """Queue the task once the current transaction commits; never if it rolls back."""
    transaction.on_commit(functools.partial(_task(task_name).delay, *args))


def send(task_name: str, *args: object) -> None:
    """Queue the task now: for code that already runs after the commit (an
    ``on_commit`` callback), where waiting for another commit would be wrong."""
    _task(task_name).delay(*args)
