"""Personas and helpers shared by the whole suite.

The story: Kingsmere (England) and Afon Valley (Wales) are two districts of
the partnership. Amira is a social worker in Kingsmere, supervised by Sam;
Jo is Kingsmere's CSE lead; Priya commissions services; Dev works in
information governance; Alex administers Harbour. Tom is a police officer in
Afon Valley: for Kingsmere's records he is an outsider.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_cases.models import AgencyKind, Nation, Role, User
from tests.factories import AgencyFactory, AreaFactory, TeamFactory, UserFactory


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Each test starts with an empty cache (sign-in counters and the like).

    Only Harbour's keys go: the Celery broker shares the Redis server, so
    flushing the whole database would also drop queued tasks.
    """
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def kingsmere(db):
    return AreaFactory(name="Kingsmere", code="E06900001", nation=Nation.ENGLAND)


@pytest.fixture
def afon_valley(db):
    return AreaFactory(name="Afon Valley", code="W06900002", nation=Nation.WALES)


@pytest.fixture
def kingsmere_social_care(kingsmere):
    return AgencyFactory(
        name="Kingsmere Children's Services",
        kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
        areas=[kingsmere],
    )


@pytest.fixture
def afon_police(afon_valley):
    return AgencyFactory(name="Dyfed Marches Police", kind=AgencyKind.POLICE, areas=[afon_valley])


@pytest.fixture
def sam(kingsmere_social_care, kingsmere):
    return UserFactory(
        username="sam",
        first_name="Sam",
        last_name="Hughes",
        role=Role.SUPERVISOR,
        agency=kingsmere_social_care,
        areas=[kingsmere],
    )


@pytest.fixture
def kingsmere_team(kingsmere_social_care, sam):
    team = TeamFactory(name="Exploitation Team", agency=kingsmere_social_care, supervisor=sam)
    sam.team = team
    sam.save()
    return team


@pytest.fixture
def amira(kingsmere_social_care, kingsmere, kingsmere_team):
    return UserFactory(
        username="amira",
        first_name="Amira",
        last_name="Bennett",
        role=Role.PRACTITIONER,
        agency=kingsmere_social_care,
        team=kingsmere_team,
        job_title="Social worker",
        areas=[kingsmere],
    )


@pytest.fixture
def jo(kingsmere_social_care, kingsmere):
    return UserFactory(
        username="jo",
        first_name="Jo",
        last_name="Marsh",
        role=Role.CSE_LEAD,
        agency=kingsmere_social_care,
        areas=[kingsmere],
    )


@pytest.fixture
def priya(kingsmere_social_care, kingsmere):
    return UserFactory(
        username="priya",
        first_name="Priya",
        last_name="Shah",
        role=Role.COMMISSIONER,
        agency=kingsmere_social_care,
        areas=[kingsmere],
    )


@pytest.fixture
def dev(kingsmere_social_care):
    return UserFactory(
        username="dev",
        first_name="Dev",
        last_name="Patel",
        role=Role.INFORMATION_GOVERNANCE,
        agency=kingsmere_social_care,
    )


@pytest.fixture
def alex(db):
    return UserFactory(
        username="alex",
        first_name="Alex",
        last_name="Ford",
        role=Role.ADMINISTRATOR,
        agency=None,
    )


@pytest.fixture
def tom(afon_police, afon_valley):
    return UserFactory(
        username="tom",
        first_name="Tom",
        last_name="Okafor",
        role=Role.PRACTITIONER,
        agency=afon_police,
        areas=[afon_valley],
        job_title="Detective constable",
    )


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
