"""Sending a report's task without failing the request that asked for it."""

from __future__ import annotations

import logging

from cse_cases import background

log = logging.getLogger(__name__)


def send_quietly(task_name: str, *args: object) -> bool:
    """Queue the task; when the broker is unreachable, log it and report False.

    The run stays queued in the database, the page says so, and the beat's
    ``report_requeue_stale`` sends it again: the person loses nothing and
    sees no error for an outage that is not theirs.
    """
    try:
        background.send(task_name, *args)
    except Exception:  # kombu raises OperationalError and friends; any failure here is the same
        log.warning("Could not queue %s %s; it stays queued for the next requeue", task_name, args)
        return False
    return True
