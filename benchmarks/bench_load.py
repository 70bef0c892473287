"""Under load: the production shape (gunicorn, production settings, the same
PostgreSQL and Redis) with 32 signed-in clients for 60 seconds on a mix of
the framework floor, the record page, search, the screening queue and my work.

Locust drives it headless, on the loopback interface only, bounded in time
(locustfile.py beside this module). The goals (issue 16): no errors, and the
record page's throughput at least half the floor page's under the same load.
A page's throughput under the mix is what the 32 clients would get from it
alone at the response times measured in the mix (Little's law: clients /
mean response time), so pages asked for equally often can still be compared.
"""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from benchmarks.harness import AT_LEAST, EQUAL, Goal, Row
from cse_cases.models import Case, User, YoungPerson
from cse_cases.wiring.demo import records as demo_records
from cse_cases.wiring.demo.seed import seed_partnership

CLIENTS = 32
SECONDS = 60
HOST = "127.0.0.1"
WORKERS = os.environ.get("WEB_CONCURRENCY", "3")
SEARCH = "jayde morgan"
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _session_cookie(user: User) -> str:
    """A signed-in, two-factor-verified session, as benchmarks.harness's
    signed_in_client makes one: the cookie the load clients send."""
    client = Client()
    client.force_login(user, backend="cse_cases.auth_backends.HarbourModelBackend")
    session = client.session
    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"name": "bench"})
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return session.session_key


def _production_env() -> dict[str, str]:
    env = {
        **os.environ,
        "HARBOUR_ENV": "production",
        "DEBUG": "false",
        # The sessions above were signed with this process's key.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
        "LOG_LEVEL": "WARNING",
    }
    env.setdefault("DJANGO_SETTINGS_MODULE", "cse_cases.wiring.settings")
    return env


def _wait_until_serving(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            # The TLS proxy's header, as for the clients: else a redirect to https.
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310 - http on the loopback
            urllib.request.urlopen(request, timeout=2)  # noqa: S310 - http on the loopback
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout:.0f} s")


def _prepare() -> dict[str, str]:
    """The demo (unless an earlier benchmark left it), and the pages' addresses."""
    if not User.objects.filter(username="practitioner.kingsmere").exists():
        call_command("flush", "--noinput", verbosity=0)
        seed_partnership()
    User.objects.update(is_demo=False)
    practitioner = User.objects.get(username="practitioner.kingsmere")
    cse_lead = User.objects.get(username="cselead.kingsmere")
    case = Case.objects.filter(lead_professional=practitioner).order_by("pk").first()
    if case is None:
        # The record page's young people, as bench_records makes its first 1,000.
        demo_records.generate(max(0, 1_000 - YoungPerson.objects.count()))
        case = Case.objects.filter(lead_professional=practitioner).order_by("pk").first()
    return {
        "HARBOUR_LOAD_PRACTITIONER": _session_cookie(practitioner),
        "HARBOUR_LOAD_CSE_LEAD": _session_cookie(cse_lead),
        "HARBOUR_LOAD_SESSION_COOKIE": settings.SESSION_COOKIE_NAME,
        "HARBOUR_LOAD_RECORD": reverse("young-person", args=[case.young_person_id]),
        "HARBOUR_LOAD_SEARCH": f"{reverse('young-people')}?q={SEARCH.replace(' ', '+')}",
        "HARBOUR_LOAD_QUEUE": reverse("referral-queue"),
        "HARBOUR_LOAD_MY_WORK": reverse("my-work"),
    }


def _collect_static(env: dict[str, str]) -> None:
    """Production serves hashed static files from the manifest collectstatic
    writes (compressing every file: a minute or more), so it runs only when the
    manifest is older than the built CSS or missing."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    built = ROOT / "static" / "build" / "harbour.css"
    if manifest.exists() and manifest.stat().st_mtime >= built.stat().st_mtime:
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def _read_stats(path: Path) -> dict[str, dict[str, float]]:
    with path.open() as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["Name"]: {
            "requests": float(row["Request Count"]),
            "failures": float(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
            "median": float(row["50%"]),
            "p95": float(row["95%"]),
            "mean": float(row["Average Response Time"]),
        }
        for row in rows
    }


def run() -> list:
    pages = _prepare()
    port = _free_port()
    env = _production_env()
    _collect_static(env)
    gunicorn = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cse_cases.wiring.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            WORKERS,
            "--worker-tmp-dir",
            "/dev/shm",  # noqa: S108 - as the Dockerfile runs it
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://{HOST}:{port}"
        _wait_until_serving(f"{base}/healthz")
        with tempfile.TemporaryDirectory() as folder:
            prefix = Path(folder) / "load"
            subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(Path(__file__).with_name("locustfile.py")),
                    "--headless",
                    "--host",
                    base,
                    "--users",
                    str(CLIENTS),
                    "--spawn-rate",
                    str(CLIENTS),
                    "--run-time",
                    f"{SECONDS}s",
                    "--stop-timeout",
                    "10",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env={**os.environ, **pages},
                check=False,
                stdout=subprocess.DEVNULL,
                timeout=SECONDS + 120,
            )
            stats = _read_stats(prefix.with_name("load_stats.csv"))
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=20)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
            gunicorn.wait()
    rows: list = []
    for name, figures in stats.items():
        if name == "Aggregated":
            continue
        rows.append(
            Row(
                f"under load: {name}",
                f"{figures['rps']:.1f} rps",
                f"median {figures['median']:.0f} ms; 95th percentile {figures['p95']:.0f} ms; "
                f"{figures['requests']:.0f} requests, {figures['failures']:.0f} errors; "
                f"{CLIENTS} clients for {SECONDS} s, gunicorn with {WORKERS} workers",
            )
        )
    total = stats["Aggregated"]
    rows.append(
        Goal(
            f"under load: errors ({CLIENTS} clients, {SECONDS} s)",
            total["failures"],
            0,
            comparison=EQUAL,
            reference=f"{total['requests']:.0f} requests, {total['rps']:.1f} rps in all",
        )
    )
    floor, record = stats["floor page"], stats["record page"]
    floor_capacity = CLIENTS / (floor["mean"] / 1000)
    record_capacity = CLIENTS / (record["mean"] / 1000)
    rows.append(
        Goal(
            "under load: record page / floor page throughput",
            round(record_capacity / floor_capacity, 2),
            0.5,
            comparison=AT_LEAST,
            reference=(
                f"record page {record_capacity:.0f} rps, floor page {floor_capacity:.0f} rps "
                f"({CLIENTS} clients / mean response time {record['mean']:.0f} ms, "
                f"{floor['mean']:.0f} ms)"
            ),
        )
    )
    return rows
