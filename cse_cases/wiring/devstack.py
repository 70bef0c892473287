"""`make run`: the whole of Harbour on one machine, from nothing.

Starts the embedded PostgreSQL and Redis (unless DATABASE_URL / REDIS_URL name
servers), migrates, loads the demo partnership, then runs the web server, a
Celery worker and Celery beat together, prefixing each one's output. Ctrl-C
stops the three processes and then the servers this run started (or adopted
from an earlier run that was killed), so nothing is left running.

This module must not import Django before the servers are up.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

from cse_cases.wiring import embedded

BASE_DIR = embedded.BASE_DIR
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = int(os.environ.get("PORT", "8000"))


def emit(text: str) -> None:
    """Print, but never let a closed terminal or pipe stop the shutdown."""
    with contextlib.suppress(OSError):
        print(text, end="", flush=True)


def say(message: str) -> None:
    emit(f"harbour | {message}\n")


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def hold_run_lock(services: embedded.Services):
    """One `make run` per data folder; a second one is told, not started."""
    services.root.mkdir(parents=True, exist_ok=True)
    handle = open(services.root / "run.lock", "a+")  # noqa: SIM115 - held for the whole run
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        other = handle.read().strip() or "unknown"
        say(f"Harbour is already running from this checkout (process {other}).")
        say("Stop it with Ctrl-C in its terminal, or use that one.")
        sys.exit(1)
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)  # noqa: S603


def pump(name: str, stream) -> None:
    for line in iter(stream.readline, ""):
        emit(f"{name:<6} | {line}")


def start(name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603
        args,
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # Own process group: Ctrl-C reaches us once, and we stop children in order.
        start_new_session=True,
    )
    threading.Thread(target=pump, args=(name, process.stdout), daemon=True).start()
    return process


def wait_until_serving(url: str, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own localhost URL
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.5)
    return False


def stop_all(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for name, process in processes.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop in time; killing it.")
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> int:
    services = embedded.default_services()
    lock = hold_run_lock(services)
    if not port_is_free(HOST, PORT):
        say(f"Port {PORT} on {HOST} is already in use by another program.")
        say(f"Stop that program, or choose another port: make run PORT={PORT + 1}")
        return 1

    env = dict(os.environ)
    env.setdefault("HARBOUR_ENV", "development")
    env.setdefault("PYTHONUNBUFFERED", "1")
    own_postgres = "DATABASE_URL" not in env
    own_redis = "REDIS_URL" not in env
    processes: dict[str, subprocess.Popen] = {}
    interrupted = False

    def on_signal(signum: int, frame) -> None:
        nonlocal interrupted
        interrupted = True

    # Handlers go in before anything starts, so Ctrl-C at any moment ends in
    # the clean-up below rather than a KeyboardInterrupt that skips it.
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)  # the terminal was closed
    # Output piped to `tee` or `less` that has gone away must not kill us
    # before the servers are stopped.
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    try:
        if own_postgres or own_redis:
            say(f"Starting the embedded servers (data in {services.root}) ...")
            # We hold the run lock, so any server already running for this data
            # folder was left by a run that was killed: adopt it and stop it later.
            embedded.start(services, postgres=own_postgres, redis=own_redis)
        if interrupted:
            return 0
        say("Applying database migrations ...")
        manage("migrate", "--noinput", env=env)
        manage("seed_demo", env=env)
        if interrupted:
            return 0
        celery = [sys.executable, "-m", "celery", "-A", "cse_cases.wiring"]
        processes["web"] = start(
            "web",
            [sys.executable, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"],
            env,
        )
        processes["worker"] = start(
            "worker", [*celery, "worker", "--loglevel=INFO", "--concurrency=2"], env
        )
        processes["beat"] = start(
            "beat",
            [*celery, "beat", "--loglevel=INFO", "--pidfile="],
            env,
        )
        address = f"http://{HOST}:{PORT}/"
        if wait_until_serving(f"{address}healthz"):
            say(f"Harbour is running at {address}  (Ctrl-C to stop)")
            say("Sign in with a demo account listed above.")
            say("Two-factor code for any demo account: make totp who=USERNAME")
            # Beat sends the first sweep as it starts (supervision/tasks.py), as
            # in production; until it finishes the pages say "Not yet checked".
            say("Overdue work is checked as beat starts, then on its schedule (every 15 minutes).")
        elif not interrupted:
            say(f"Harbour did not answer {address}healthz within a minute; see the web log above.")
        while not interrupted:
            exited = [name for name, p in processes.items() if p.poll() is not None]
            if exited:
                say(f"{', '.join(exited)} stopped unexpectedly; shutting down.")
                break
            time.sleep(0.5)
    except subprocess.CalledProcessError as error:
        say(f"Setup failed: {' '.join(map(str, error.cmd[1:]))} exited with {error.returncode}.")
        return 1
    except embedded.EmbeddedServiceError as error:
        say(f"Could not start the embedded servers: {error}")
        return 1
    finally:
        say("Stopping ...")
        stop_all(processes)
        if own_postgres or own_redis:
            embedded.stop(services, postgres=own_postgres, redis=own_redis)
        # Clear our pid before letting go of the lock, so a run that takes
        # the lock next never finds a stale one.
        lock.seek(0)
        lock.truncate()
        lock.close()
        say("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
