"""Areas, agencies, teams and people: the rules the data must keep."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from cse_cases.models import Area, Nation, Role, User
from tests.factories import AgencyFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_area_code_must_match_its_nation() -> None:
    area = Area(name="Cardiff", code="W06000015", nation=Nation.ENGLAND)
    with pytest.raises(ValidationError, match="belongs to Wales"):
        area.full_clean()


def test_area_code_format_is_explained() -> None:
    with pytest.raises(ValidationError, match="Enter an ONS area code"):
        Area(name="Nowhere", code="X123", nation=Nation.ENGLAND).full_clean()


def test_everyone_but_administrators_belongs_to_an_agency() -> None:
    with pytest.raises(IntegrityError):
        User.objects.create(username="floating", email="f@example.org", role=Role.PRACTITIONER)


def test_administrator_may_have_no_agency() -> None:
    user = User.objects.create(username="admin", email="a@example.org", role=Role.ADMINISTRATOR)
    assert user.is_staff


def test_only_administrators_are_staff(amira) -> None:
    assert not amira.is_staff
    amira.role = Role.ADMINISTRATOR
    amira.save()
    assert amira.is_staff


def test_createsuperuser_makes_an_administrator_not_a_superuser() -> None:
    user = User.objects.create_superuser("root", "root@example.org", "x" * 16)
    assert user.role == Role.ADMINISTRATOR
    assert user.is_staff
    assert not user.is_superuser


def test_nobody_can_be_a_superuser(alex) -> None:
    # A superuser would pass every permission check, around the access policy.
    alex.is_superuser = True
    with pytest.raises(IntegrityError):
        alex.save()


def test_email_is_unique_whatever_its_case(amira) -> None:
    with pytest.raises(IntegrityError):
        UserFactory(username="other", email=amira.email.upper(), agency=amira.agency)


def test_team_supervisor_must_supervise_in_the_same_agency(amira, tom) -> None:
    team = TeamFactory(agency=amira.agency, supervisor=amira)
    with pytest.raises(ValidationError, match="supervisor or CSE lead role"):
        team.full_clean()
    tom.role = Role.SUPERVISOR
    tom.save()
    team.supervisor = tom
    with pytest.raises(ValidationError, match="must work for the team's agency"):
        team.full_clean()


def test_team_must_belong_to_the_persons_agency(amira, tom) -> None:
    tom.team = amira.team
    with pytest.raises(ValidationError, match="team must belong"):
        tom.full_clean()


def test_team_names_are_unique_within_an_agency(kingsmere_team) -> None:
    with pytest.raises(IntegrityError):
        TeamFactory(name=kingsmere_team.name, agency=kingsmere_team.agency)


def test_an_agency_can_serve_several_areas(kingsmere, afon_valley) -> None:
    agency = AgencyFactory(name="Regional Health", areas=[kingsmere, afon_valley])
    assert set(agency.areas.all()) == {kingsmere, afon_valley}
