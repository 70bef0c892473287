"""Personas and helpers shared by the whole suite.

The story: Kingsmere (England) and Afon Valley (Wales) are two districts of
the partnership. Amira is a social worker in Kingsmere, supervised by Sam;
Jo is Kingsmere's CSE lead; Priya commissions services; Dev works in
information governance for Kingsmere, Iwan for Afon Valley; Alex
administers Harbour. Tom is a police officer in
Afon Valley: for Kingsmere's records he is an outsider. Each of them (and the
places they work) is made in tests/cast.py and is a fixture here.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_cases.models import User
from tests import cast
from tests.cast import years_before  # noqa: F401 (imported from here by many modules)
from tests.worker import celery_worker_process, worker_outbox  # noqa: F401 (shared fixtures)

# Tuesday 1 December 2026, 10:00 in London: an ordinary working day.
ORDINARY_TUESDAY = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def ordinary_tuesday():
    """The clock at ORDINARY_TUESDAY (it keeps ticking).

    For any test whose outcome depends on the date: escalation counts working
    days (an episode "5 days ago" is escalated or not depending on the
    weekday), meetings and plans are due "in 3 days", an assessment's review
    falls due months ahead. Request it first, so the fixtures after it are made
    on that day too. A whole module says it with time-machine's own marker,
    ``pytestmark = pytest.mark.time_machine(ORDINARY_TUESDAY)``: the marker's
    fixture is set up before every other fixture of the test.
    """
    with time_machine.travel(ORDINARY_TUESDAY):
        yield


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Each test starts with an empty cache (sign-in counters and the like)."""
    fresh_cache_keys()


def fresh_cache_keys() -> None:
    """Only Harbour's keys go: the Celery broker shares the Redis server, so
    flushing the whole database would also drop queued tasks."""
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
    if keys:
        client.delete(*keys)


# The people and places of the story, each a fixture of the same name whose
# arguments are the fixtures it needs.
kingsmere = pytest.fixture(cast.kingsmere)
afon_valley = pytest.fixture(cast.afon_valley)
kingsmere_social_care = pytest.fixture(cast.kingsmere_social_care)
afon_police = pytest.fixture(cast.afon_police)
sam = pytest.fixture(cast.sam)
kingsmere_team = pytest.fixture(cast.kingsmere_team)
amira = pytest.fixture(cast.amira)
jo = pytest.fixture(cast.jo)
priya = pytest.fixture(cast.priya)
dev = pytest.fixture(cast.dev)
cara = pytest.fixture(cast.cara)
iwan = pytest.fixture(cast.iwan)
alex = pytest.fixture(cast.alex)
tom = pytest.fixture(cast.tom)
kingsmere_health = pytest.fixture(cast.kingsmere_health)
grace = pytest.fixture(cast.grace)
ben = pytest.fixture(cast.ben)
rhian = pytest.fixture(cast.rhian)
sara = pytest.fixture(cast.sara)
jade = pytest.fixture(cast.jade)
jades_case = pytest.fixture(cast.jades_case)
template = pytest.fixture(cast.template)


def verified(user: User) -> User:
    """The user as services see them in a request that passed both sign-in
    steps (what the OTP middleware marks on a real session)."""
    user.is_verified = lambda: True
    return user


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key):06d}"


def signed_in_client(user: User) -> Client:
    """A client whose session has passed both sign-in steps."""
    client = Client()
    client.force_login(user, backend="cse_cases.auth_backends.HarbourModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


@pytest.fixture
def sign_in():
    return signed_in_client


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run the tasks a block sends on commit, in this process, as a worker
    would (the emails land in django.core.mail.outbox). Not queued on the
    broker: no worker consumes the suite's queue."""
    from cse_cases.wiring.celery import app

    app.conf.task_always_eager = True
    try:
        yield lambda: django_capture_on_commit_callbacks(execute=True)
    finally:
        app.conf.task_always_eager = False
