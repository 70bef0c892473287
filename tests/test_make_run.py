"""`make run` (cse_cases.wiring.devstack): from nothing to a running Harbour, twice, cleanly."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from django.conf import settings

from cse_cases.wiring.devstack import port_is_free

pytestmark = pytest.mark.stack


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def devstack_env(data_dir: Path, port: int) -> dict[str, str]:
    # A newcomer's shell: none of the test suite's settings.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "HARBOUR_ENV", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"HARBOUR_DATA_DIR": str(data_dir), "PORT": str(port)})
    return env


def run_devstack(env: dict[str, str], timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cse_cases.wiring.devstack"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_a_taken_port_gets_a_clear_message(tmp_path) -> None:
    port = free_port()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        result = run_devstack(devstack_env(tmp_path, port))
    assert result.returncode == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stdout
    assert f"make run PORT={port + 1}" in result.stdout
    # It stopped before starting any server.
    assert not (tmp_path / "postgres").exists()


def test_a_second_run_is_told_harbour_is_already_running(tmp_path) -> None:
    with open(tmp_path / "run.lock", "w") as lock:
        lock.write("4242")
        lock.flush()
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = run_devstack(devstack_env(tmp_path, free_port()))
    assert result.returncode == 1
    assert "already running from this checkout (process 4242)" in result.stdout


def servers_using(data_dir: Path) -> list[psutil.Process]:
    """Every process of that run: the servers name the folder on their command
    line; web, worker and beat carry it in their environment."""
    found = []
    for process in psutil.process_iter(["cmdline", "environ"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        environ = process.info["environ"] or {}
        if str(data_dir) in cmdline or environ.get("HARBOUR_DATA_DIR") == str(data_dir):
            found.append(process)
    return found


def strays_after_stop(data_dir: Path, grace: float = 15) -> list[psutil.Process]:
    """Processes of that run still alive once it has had `grace` seconds to go.

    pg_ctl returns when the postmaster has gone; on a loaded two-core machine a
    backend can take a moment longer to finish exiting, which is not a stray."""
    deadline = time.monotonic() + grace
    while (found := servers_using(data_dir)) and time.monotonic() < deadline:
        time.sleep(0.5)
    return [process for process in found if process.is_running()]


@contextlib.contextmanager
def running_harbour(env: dict[str, str], port: int) -> Iterator[list[str]]:
    """`make run` in the background; Ctrl-C on leaving. Yields its output lines."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cse_cases.wiring.devstack"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    try:
        for line in process.stdout:
            lines.append(line)
            if "Harbour is running at" in line:
                break
        else:
            pytest.fail("make run ended before serving:\n" + "".join(lines))
        yield lines
    finally:
        process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        rest, _ = process.communicate(timeout=90)
        lines.append(rest)


def start_and_stop(env: dict[str, str], port: int) -> str:
    sign_in = f"http://127.0.0.1:{port}/sign-in/"
    with (
        running_harbour(env, port) as lines,
        urllib.request.urlopen(sign_in, timeout=10) as page,
    ):
        assert page.status == 200
        # The check for strays below can see this run's processes: postgres,
        # redis, web, worker and beat at least.
        assert len(servers_using(Path(env["HARBOUR_DATA_DIR"]))) >= 5
    return "".join(lines)


def test_make_run_twice_duplicates_nothing_and_leaves_nothing_running(tmp_path) -> None:
    port = free_port()
    env = devstack_env(tmp_path, port)

    first = start_and_stop(env, port)
    assert "Demo partnership ready (" in first
    assert "practitioner.kingsmere" in first
    assert "Harbour is running at http://127.0.0.1:" in first
    assert first.rstrip().endswith("harbour | Stopped.")
    strays = strays_after_stop(tmp_path)
    # What was left, and what make run said, so a failure can be diagnosed.
    assert strays == [], ([" ".join(p.cmdline()) for p in strays], first[-3000:])
    assert port_is_free("127.0.0.1", port)

    second = start_and_stop(env, port)
    assert "Demo partnership ready (0 records added)" in second
    assert second.rstrip().endswith("harbour | Stopped.")
    strays = strays_after_stop(tmp_path)
    assert strays == [], ([" ".join(p.cmdline()) for p in strays], second[-3000:])
    assert port_is_free("127.0.0.1", port)
