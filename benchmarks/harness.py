"""Helpers shared by benchmarks: timing, goals, and signed-in clients.

A benchmark's ``run()`` returns rows: a ``Row`` is a figure printed for
information, a ``Goal`` is a figure judged against its limit. Each goal names
its reference (the framework floor, or the bare SQL of the same predicates), so
a reader sees what the figure is compared with; ``make bench`` exits non-zero
when any goal is missed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

# How many timed runs each timing is the best of. The fastest run is the one
# least disturbed by the rest of a shared machine; the median would judge the
# code by its neighbours.
RUNS = 30


@dataclass(frozen=True)
class Row:
    name: str
    value: str
    detail: str = ""


# How a measured figure is compared with its limit.
AT_MOST = "at most"
AT_LEAST = "at least"
UNDER = "under"
EQUAL = "equal to"


@dataclass(frozen=True)
class Goal:
    """A figure with a limit: met or missed."""

    name: str
    measured: float
    limit: float
    unit: str = ""
    comparison: str = UNDER
    reference: str = ""
    runs: str = ""

    @property
    def met(self) -> bool:
        if self.comparison == AT_MOST:
            return self.measured <= self.limit
        if self.comparison == AT_LEAST:
            return self.measured >= self.limit
        if self.comparison == EQUAL:
            return self.measured == self.limit
        return self.measured < self.limit

    def value(self) -> str:
        return f"{_number(self.measured)}{self.unit}"

    def detail(self) -> str:
        parts = [f"goal {self.comparison} {_number(self.limit)}{self.unit}"]
        if self.runs:
            parts.append(self.runs)
        if self.reference:
            parts.append(f"reference: {self.reference}")
        return "; ".join(parts)


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.2f}"


def best_seconds(action: Callable[[], object], *, runs: int = RUNS, warmup: int = 5) -> float:
    """The fastest of `runs` timed calls of `action`, after `warmup` untimed ones."""
    for _ in range(warmup):
        action()
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def best_beside(
    action: Callable[[], object],
    reference: Callable[[], object],
    *,
    runs: int = RUNS,
    warmup: int = 5,
) -> tuple[float, float]:
    """The fastest of `runs` timed calls of `action` and of `reference`, taken
    in turns: a ratio of the two then compares moments of the same machine,
    not a quiet minute for one with a busy one for the other."""
    for _ in range(warmup):
        action()
        reference()
    best, best_reference = float("inf"), float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        action()
        middle = time.perf_counter()
        reference()
        ended = time.perf_counter()
        best = min(best, middle - started)
        best_reference = min(best_reference, ended - middle)
    return best, best_reference


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


def get_ok(client: Client, url: str, params: dict | None = None) -> Callable[[], None]:
    """A request to time: an error page would measure nothing useful."""

    def fetch() -> None:
        response = client.get(url, params or {})
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")

    return fetch


def measure_page(fetch: Callable[[], None]) -> tuple[float, int]:
    """A page's best time and its query count, both once the process is warm
    (the first request of a process also fills caches such as content types)."""
    seconds = best_seconds(fetch)
    return seconds, count_queries(fetch)


# The framework floor: the cheapest signed-in page, through the same middleware,
# session, two-factor check, navigation and base template as every page.
FLOOR_URL = "/account/password/"


def framework_floor(client: Client) -> float:
    return best_seconds(get_ok(client, FLOOR_URL))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def page_goals(
    page: str,
    *,
    small: str,
    large: str,
    seconds: dict[str, float],
    queries: dict[str, int],
    floor: dict[str, float],
    ratio_limit: float = 1.5,
    ratio_comparison: str = UNDER,
) -> list[Row | Goal]:
    """A page at two data sizes: its time at each (with the framework floor
    beside it), the ratio goal, and the goal that its query count stays put."""
    rows: list[Row | Goal] = []
    for size in (small, large):
        rows.append(
            Row(
                f"{page}, {size}",
                ms(seconds[size]),
                f"best of {RUNS}; {queries[size]} queries; "
                f"framework floor {ms(floor[size])} (best of {RUNS})",
            )
        )
    rows.append(
        Goal(
            f"{page}: time, {large} / {small}",
            round(seconds[large] / seconds[small], 2),
            ratio_limit,
            comparison=ratio_comparison,
            runs=f"best of {RUNS} at each size",
            reference=f"framework floor {ms(floor[small])} / {ms(floor[large])}",
        )
    )
    rows.append(
        Goal(
            f"{page}: queries at {large}",
            queries[large],
            queries[small],
            comparison=EQUAL,
            reference=f"the {queries[small]} queries at {small}",
        )
    )
    return rows


def missed(rows: Iterable[Row | Goal]) -> list[Goal]:
    return [row for row in rows if isinstance(row, Goal) and not row.met]
