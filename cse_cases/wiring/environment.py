"""Reading the environment for the settings: the mode, the values production
cannot guess, and the spellings some libraries need.

Every function here fails loudly with ImproperlyConfigured, naming the
variable, rather than letting a mistyped value reach a running service.
The settings themselves, with every default, stay in one module
(cse_cases/wiring/settings.py).
"""

from __future__ import annotations

from datetime import time
from urllib.parse import parse_qs, unquote, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

MODES = ("production", "development", "test")


def harbour_env() -> str:
    """HARBOUR_ENV, production when unset, so a forgotten variable fails safe."""
    mode = env.str("HARBOUR_ENV", default="production")
    if mode not in MODES:
        raise ImproperlyConfigured(f"HARBOUR_ENV is {mode!r}; use production, development or test.")
    return mode


def required(name: str, why: str) -> str:
    """A production setting with no safe default: stop, naming the variable."""
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} is not set. {why}")
    return value


def database_from_url(url: str) -> dict:
    config = env.db_url_config(url)
    # A Unix-socket directory travels percent-encoded in the host part.
    config["HOST"] = unquote(config.get("HOST", ""))
    return config


def celery_url(redis_url: str) -> str:
    """Celery spells a Unix-socket Redis URL differently from redis-py."""
    parts = urlsplit(redis_url)
    if parts.scheme != "unix":
        return redis_url
    db = parse_qs(parts.query).get("db", ["0"])[0]
    return f"redis+socket://{parts.path}?virtual_host={db}"


def clock_time(name: str, default: str) -> time:
    """A wall-clock time such as 09:00."""
    value = env.str(name, default=default)
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a time such as {default}, not {value!r}"
        ) from None
