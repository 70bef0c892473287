"""Thin tasks for the drift engine, run by Celery beat.

They acknowledge late and are rejected back to the queue if the worker dies,
so a sweep interrupted half-way is run again; every statement of a sweep is
idempotent (see supervision/engine.py), so a repeat or a sweep running beside
another raises nothing twice.
"""

from __future__ import annotations

import logging
import socket

from celery import shared_task
from celery.signals import beat_init
from django.core.cache import cache
from django.utils import timezone

from supervision import selectors, services
from supervision.caseloads import services as caseload_services

log = logging.getLogger(__name__)

# Held in Redis for one sweep interval by whoever sent the first sweep.
FIRST_SWEEP_CLAIM = "supervision:first-sweep"


@shared_task(name="supervision.tasks.sweep_flags", acks_late=True, reject_on_worker_lost=True)
def sweep_flags() -> dict:
    results = services.flags_sweep(now=timezone.now())
    return {r.kind: [r.raised, r.updated, r.resolved] for r in results}


@shared_task(name="supervision.tasks.send_flag_digests", acks_late=True)
def send_flag_digests() -> int:
    """Daily: one email per person with open flags, counts only (no names)."""
    return services.flag_digests_send(now=timezone.now())


def send_first_sweep() -> bool:
    """Queue a sweep now, unless one was queued this way within the last sweep
    interval. True when this call queued it.

    Beat's schedule would first sweep one interval after it starts (django-
    celery-beat counts from when the entry was written), and until then every
    page would be looking at no flags at all. The claim is Redis's atomic
    SET NX with an expiry (Django's cache.add): whichever process asks first
    sends the sweep, whatever the number of processes asking, on however many
    machines; a process killed after claiming cannot hold the claim for longer
    than an interval; and a beat that restarts in a loop sends one sweep per
    interval, not one per restart. (A database advisory lock is released as
    soon as its holder lets go, so it would stop two sweeps at once but not a
    second one a moment later.)"""
    interval = selectors.sweep_interval()
    if not cache.add(FIRST_SWEEP_CLAIM, socket.gethostname(), timeout=interval.total_seconds()):
        return False
    sweep_flags.delay()
    return True


@beat_init.connect
def sweep_when_beat_starts(sender: object = None, **kwargs: object) -> None:
    """The stack's first sweep runs when it starts (beat, which compose and
    `make run` run exactly once, starts with the stack). The pages say "not
    yet checked" until a sweep has finished."""
    try:
        sent = send_first_sweep()
    except Exception:
        # Beat must keep the schedule even when this cannot be sent: the
        # scheduled sweep comes within an interval, and the pages say so.
        log.exception("flags: could not send the first sweep at start")
        return
    if sent:
        log.info("flags: first sweep sent at start")
    else:
        log.info("flags: a first sweep was sent within the last interval; not sending another")


@shared_task(
    name="supervision.tasks.send_allocation_notice",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_allocation_notice(allocation_id: int) -> int:
    return caseload_services.allocation_notice_send(allocation_id=allocation_id)
