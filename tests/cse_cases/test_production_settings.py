"""Production mode: refuses to start without its secrets, and passes check --deploy."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

BASE = settings.BASE_DIR
GOOD_SECRET = "x" * 30 + "production-secret-for-the-test-" + "y" * 20


def run_django(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    env.update({"HARBOUR_ENV": "production", **env_overrides})
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_a_missing_secret_key() -> None:
    result = run_django({"ALLOWED_HOSTS": "harbour.example.gov.uk"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_missing_allowed_hosts() -> None:
    result = run_django({"SECRET_KEY": GOOD_SECRET}, "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_production_refuses_debug() -> None:
    result = run_django(
        {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "harbour.example.gov.uk", "DEBUG": "true"},
        "check",
    )
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_unknown_mode_is_refused() -> None:
    result = run_django({"HARBOUR_ENV": "staging"}, "check")
    assert "HARBOUR_ENV is 'staging'" in result.stderr


def test_check_deploy_is_clean_in_production() -> None:
    result = run_django(
        {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "harbour.example.gov.uk"},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_settings_are_secure() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    result = run_django(
        {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "harbour.example.gov.uk"},
        "shell",
        "--verbosity",
        "0",
        "-c",
        code,
    )
    assert result.stdout.split() == ["True", "True", "31536000", "True", "False"]


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client) -> None:
    response = client.get("/sign-in/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    # The one inline script carries the nonce the header names.
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


@pytest.mark.django_db
def test_migrations_are_complete() -> None:
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize("variable", ["DATABASE_URL", "REDIS_URL"])
def test_production_refuses_to_fall_back_to_embedded_servers(variable: str) -> None:
    env = {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "harbour.example.gov.uk"}
    saved = os.environ.pop(variable)
    try:
        result = run_django(env, "check")
    finally:
        os.environ[variable] = saved
    assert result.returncode != 0
    assert f"{variable} is not set" in result.stderr


@pytest.mark.django_db
def test_an_expired_form_gets_a_helpful_page() -> None:
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/sign-in/", {"username": "amira"})
    assert response.status_code == 403
    assert "The page had expired" in response.content.decode()
    assert "back button" in response.content.decode()
