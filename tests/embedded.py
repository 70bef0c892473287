"""pytest plugin, loaded early (``-p tests.embedded`` in pyproject.toml).

It puts the suite in test mode and, unless DATABASE_URL / REDIS_URL name
servers, starts a disposable embedded PostgreSQL and Redis under
``.data/test`` *before* pytest-django reads the settings, and stops them at
the end if this run started them.
"""

from __future__ import annotations

import os

import pytest

from cse_cases.wiring import embedded

os.environ.setdefault("HARBOUR_ENV", "test")
os.environ.setdefault("DEBUG", "false")

_services = embedded.Services(embedded.data_dir() / "test", disposable=True)
# Uploaded files from tests go with the disposable servers, not into local data.
os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(embedded.data_dir() / "test" / "private-media"))
_own = {"postgres": "DATABASE_URL" not in os.environ, "redis": "REDIS_URL" not in os.environ}
_started = embedded.Started()


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    global _started
    if _own["postgres"] or _own["redis"]:
        _started = embedded.start(_services, postgres=_own["postgres"], redis=_own["redis"])
    if _own["postgres"]:
        os.environ["DATABASE_URL"] = _services.database_url()
    if _own["redis"]:
        os.environ["REDIS_URL"] = _services.redis_url(db=0)
        # Nothing from an earlier run may linger in the broker or cache.
        import redis

        redis.Redis(unix_socket_path=str(_services.redis_socket)).flushall()
    return (yield)


def pytest_unconfigure(config) -> None:
    embedded.stop(_services, postgres=_started.postgres, redis=_started.redis)


def services() -> embedded.Services:
    return _services
