"""Helpers shared by benchmarks: timing, and signed-in clients."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


@dataclass(frozen=True)
class Row:
    name: str
    value: str
    detail: str = ""


def median_seconds(action: Callable[[], object], *, repeat: int = 50, warmup: int = 5) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def count_queries(action: Callable[[], object]) -> int:
    """SQL statements `action` runs. The log is emptied first: it keeps at most
    9,000 entries, and a full log would count nothing new."""
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user, backend="cse_cases.auth_backends.HarbourModelBackend")
    session = client.session
    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"name": "bench"})
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
