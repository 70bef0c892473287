"""Personas and helpers shared by the whole suite.

The story: Kingsmere (England) and Afon Valley (Wales) are two districts of
the partnership. Amira is a social worker in Kingsmere, supervised by Sam;
Jo is Kingsmere's CSE lead; Priya commissions services; Dev works in
information governance for Kingsmere, Iwan for Afon Valley; Alex
administers Harbour. Tom is a police officer in
Afon Valley: for Kingsmere's records he is an outsider.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_cases.models import AgencyKind, CaseMember, Nation, Role, User
from tests.factories import (
    AgencyFactory,
    AreaFactory,
    CaseFactory,
    TeamFactory,
    UserFactory,
    YoungPersonFactory,
)


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


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
def dev(kingsmere_social_care, kingsmere):
    """Information governance for Kingsmere: audits Kingsmere's records only."""
    return UserFactory(
        username="dev",
        first_name="Dev",
        last_name="Patel",
        role=Role.INFORMATION_GOVERNANCE,
        agency=kingsmere_social_care,
        areas=[kingsmere],
    )


@pytest.fixture
def cara(kingsmere):
    """A youth worker at a Kingsmere charity: she works with young people but her
    agency has no statutory safeguarding duty, so she may not break glass."""
    charity = AgencyFactory(name="Safe Steps", kind=AgencyKind.VOLUNTARY, areas=[kingsmere])
    return UserFactory(
        username="cara",
        first_name="Cara",
        last_name="Doyle",
        role=Role.PRACTITIONER,
        agency=charity,
        areas=[kingsmere],
        job_title="Youth worker",
    )


@pytest.fixture
def iwan(afon_police, afon_valley):
    """Information governance for Afon Valley: Kingsmere's records are not his to audit."""
    return UserFactory(
        username="iwan",
        first_name="Iwan",
        last_name="Price",
        role=Role.INFORMATION_GOVERNANCE,
        agency=afon_police,
        areas=[afon_valley],
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


@pytest.fixture
def kingsmere_health(kingsmere):
    return AgencyFactory(
        name="Kingsmere and Afon Health Board", kind=AgencyKind.HEALTH, areas=[kingsmere]
    )


@pytest.fixture
def grace(kingsmere_health, kingsmere):
    """A school nurse from another agency, in the team around Jade."""
    return UserFactory(
        username="grace",
        first_name="Grace",
        last_name="Adeyemi",
        role=Role.PRACTITIONER,
        agency=kingsmere_health,
        areas=[kingsmere],
    )


@pytest.fixture
def ben(kingsmere_social_care, kingsmere):
    """A social worker in Amira's own agency who has nothing to do with Jade."""
    return UserFactory(
        username="ben",
        first_name="Ben",
        last_name="Carter",
        role=Role.PRACTITIONER,
        agency=kingsmere_social_care,
        areas=[kingsmere],
    )


@pytest.fixture
def rhian(afon_valley):
    """Afon Valley's CSE lead: a CSE lead, but not of Jade's district."""
    agency = AgencyFactory(
        name="Afon Valley Children's Services",
        kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
        areas=[afon_valley],
    )
    return UserFactory(
        username="rhian",
        first_name="Rhian",
        last_name="Evans",
        role=Role.CSE_LEAD,
        agency=agency,
        areas=[afon_valley],
    )


@pytest.fixture
def sara(kingsmere):
    """A school's designated safeguarding lead in Kingsmere: she makes referrals."""
    school = AgencyFactory(name="Kingsmere Academy", kind=AgencyKind.EDUCATION, areas=[kingsmere])
    return UserFactory(
        username="sara",
        first_name="Sara",
        last_name="Lewis",
        email="sara.lewis@school.example",
        role=Role.PRACTITIONER,
        agency=school,
        areas=[kingsmere],
        job_title="Designated safeguarding lead",
    )


@pytest.fixture
def jade(kingsmere, amira):
    """A 14-year-old in Kingsmere."""
    return YoungPersonFactory(
        legal_first_name="Jade",
        legal_last_name="Morgan",
        known_as="JJ",
        date_of_birth=years_before(timezone.localdate(), 14) - timedelta(days=100),
        area=kingsmere,
        created_by=amira,
    )


@pytest.fixture
def jades_case(jade, amira, grace):
    """Amira leads Jade's case; Grace is in the team around the child."""
    case = CaseFactory(young_person=jade, lead_professional=amira)
    CaseMember.objects.create(case=case, user=grace, role="School nurse", added_by=amira)
    return case


@pytest.fixture
def template(db):
    """The published default assessment template.

    It is data from a migration, and the flush after a transactional (browser)
    test removes it, so it is loaded again when it is gone. (serialized_rollback
    would collide with the content types the flush's post_migrate recreates.)
    """
    from django.apps import apps

    from assessments.risk.selectors import current_template

    if current_template() is None:
        import_module("assessments.migrations.0002_default_template").load(apps, None)
    return current_template()


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
