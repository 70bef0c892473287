"""A home page per role, with real figures and a fixed number of queries."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cse_cases.models import AgencyKind, Role
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_practitioner_sees_their_agency_team_and_supervisor(amira, sign_in) -> None:
    page = sign_in(amira).get("/").content.decode()
    assert "Kingsmere Children&#x27;s Services" in page
    assert "Exploitation Team" in page
    assert "Supervisor: Sam Hughes" in page
    assert "Social worker" in page


def test_supervisor_sees_their_team(sam, amira, sign_in) -> None:
    page = sign_in(sam).get("/").content.decode()
    assert "Your teams" in page
    assert "Amira Bennett, Social worker" in page


def test_cse_lead_sees_agencies_serving_their_area(jo, kingsmere, afon_police, sign_in) -> None:
    AgencyFactory(name="Kingsmere Constabulary", kind=AgencyKind.POLICE, areas=[kingsmere])
    page = sign_in(jo).get("/").content.decode()
    assert "Areas you lead" in page
    assert "Kingsmere (England)" in page
    assert "Police" in page
    # Afon Valley's police force does not serve Kingsmere and is not counted.
    assert "Afon Valley" not in page


def test_commissioner_is_told_they_never_see_names(priya, sign_in) -> None:
    page = sign_in(priya).get("/").content.decode()
    assert "never shows you a child" in page


def test_information_governance_sees_real_failures_and_lockouts(dev, amira, sign_in) -> None:
    # Guesses at Amira's password from two addresses and several browsers: axes
    # adds them up, so the account is locked, and the page must say so.
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=f"203.0.113.{n % 2}", HTTP_USER_AGENT=f"browser {n}").post(
            "/sign-in/", {"username": "amira", "password": "wrong"}
        )
    activity = sign_in(dev).get("/").context["activity"]
    assert [a.username for a in activity.locked_out] == ["amira"]
    assert activity.locked_out[0].failures == settings.AXES_FAILURE_LIMIT
    assert sorted(activity.locked_out[0].addresses) == ["203.0.113.0", "203.0.113.1"]
    assert len(activity.recent_failures) == settings.AXES_FAILURE_LIMIT


def test_information_governance_sees_only_its_districts_sign_ins(
    dev, iwan, amira, alex, sign_in
) -> None:
    """Found in review: Afon Valley's IG saw a Kingsmere account's lockout."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="10.1.2.3").post("/sign-in/", {"username": "amira", "password": "x"})
    Client(REMOTE_ADDR="10.9.9.9").post("/sign-in/", {"username": "nobody", "password": "x"})
    afon = sign_in(iwan).get("/").context["activity"]
    assert afon.locked_out == []
    assert afon.recent_failures == []
    kingsmere = sign_in(dev).get("/").context["activity"]
    assert [a.username for a in kingsmere.locked_out] == ["amira"]
    assert {f.username for f in kingsmere.recent_failures} == {"amira"}
    # Administrators unlock accounts: they see every attempt, unknown names too.
    everyone = sign_in(alex).get("/").context["activity"]
    assert {f.username for f in everyone.recent_failures} == {"amira", "nobody"}


def test_administrator_sees_partnership_counts(alex, amira, sam, tom, sign_in) -> None:
    UserFactory(username="pending", agency=amira.agency, two_factor=False)
    response = sign_in(alex).get("/")
    counts = response.context["counts"]
    assert counts.areas == 2
    assert dict(counts.users_by_role)["Practitioner"] == 3  # amira, tom, pending
    assert counts.users_without_two_factor == 1
    assert "Manage areas, agencies, teams and accounts" in response.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_home_page_query_count_is_constant(
    role, kingsmere, kingsmere_social_care, kingsmere_team, sign_in, django_assert_max_num_queries
) -> None:
    user = UserFactory(
        role=role,
        agency=None if role == Role.ADMINISTRATOR else kingsmere_social_care,
        areas=[kingsmere],
    )
    if role == Role.SUPERVISOR:
        kingsmere_team.supervisor = user
        kingsmere_team.save()
    client = sign_in(user)
    client.get("/")  # warm up: content types and the like are cached after this
    with CaptureQueriesContext(connection) as small:
        assert client.get("/").status_code == 200
    # A CSE lead's page reads the most: referrals, duplicates, areas and
    # assessments to sign off or complete.
    assert len(small) <= 18

    # Much more data: the page must not run a single query more because of it.
    for n in range(30):
        agency = AgencyFactory(kind=list(AgencyKind)[n % 8], areas=[kingsmere])
        UserFactory(agency=agency, team=None)
        UserFactory(agency=kingsmere_social_care, team=kingsmere_team)
    with django_assert_max_num_queries(len(small)):
        assert client.get("/").status_code == 200
