"""Thin tasks for the drift engine, run by Celery beat.

They acknowledge late and are rejected back to the queue if the worker dies,
so a sweep interrupted half-way is run again; every statement of a sweep is
idempotent (see supervision/engine.py), so a repeat or a sweep running beside
another raises nothing twice.
"""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from supervision import services


@shared_task(name="supervision.tasks.sweep_flags", acks_late=True, reject_on_worker_lost=True)
def sweep_flags() -> dict:
    results = services.flags_sweep(now=timezone.now())
    return {r.kind: [r.raised, r.updated, r.resolved] for r in results}


@shared_task(name="supervision.tasks.send_flag_digests", acks_late=True)
def send_flag_digests() -> int:
    """Daily: one email per person with open flags, counts only (no names)."""
    return services.flag_digests_send(now=timezone.now())
