"""The story's people and places, as plain functions named after their fixtures.

tests/conftest.py makes each one a fixture (its arguments are the fixtures it
needs), so a test asks for ``amira`` as before. A module that makes its data
once for all its tests (the permission matrix) asks a ``Cast`` instead: it
makes whoever is asked for, and whoever they need, once each, as pytest does.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, timedelta
from importlib import import_module
from typing import Any

from django.utils import timezone

from cse_cases.models import AgencyKind, CaseMember, Nation, Role
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


def kingsmere(db):
    return AreaFactory(name="Kingsmere", code="E06900001", nation=Nation.ENGLAND)


def afon_valley(db):
    return AreaFactory(name="Afon Valley", code="W06900002", nation=Nation.WALES)


def kingsmere_social_care(kingsmere):
    return AgencyFactory(
        name="Kingsmere Children's Services",
        kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
        areas=[kingsmere],
    )


def afon_police(afon_valley):
    return AgencyFactory(name="Dyfed Marches Police", kind=AgencyKind.POLICE, areas=[afon_valley])


def sam(kingsmere_social_care, kingsmere):
    return UserFactory(
        username="sam",
        first_name="Sam",
        last_name="Hughes",
        role=Role.SUPERVISOR,
        agency=kingsmere_social_care,
        areas=[kingsmere],
    )


def kingsmere_team(kingsmere_social_care, sam):
    team = TeamFactory(name="Exploitation Team", agency=kingsmere_social_care, supervisor=sam)
    sam.team = team
    sam.save()
    return team


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


def jo(kingsmere_social_care, kingsmere):
    return UserFactory(
        username="jo",
        first_name="Jo",
        last_name="Marsh",
        role=Role.CSE_LEAD,
        agency=kingsmere_social_care,
        areas=[kingsmere],
    )


def priya(kingsmere_social_care, kingsmere):
    return UserFactory(
        username="priya",
        first_name="Priya",
        last_name="Shah",
        role=Role.COMMISSIONER,
        agency=kingsmere_social_care,
        areas=[kingsmere],
    )


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


def alex(db):
    return UserFactory(
        username="alex",
        first_name="Alex",
        last_name="Ford",
        role=Role.ADMINISTRATOR,
        agency=None,
    )


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


def kingsmere_health(kingsmere):
    return AgencyFactory(
        name="Kingsmere and Afon Health Board", kind=AgencyKind.HEALTH, areas=[kingsmere]
    )


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


def jades_case(jade, amira, grace):
    """Amira leads Jade's case; Grace is in the team around the child."""
    case = CaseFactory(young_person=jade, lead_professional=amira)
    CaseMember.objects.create(case=case, user=grace, role="School nurse", added_by=amira)
    return case


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


MEMBERS: dict[str, Callable[..., Any]] = {
    member.__name__: member
    for member in (
        kingsmere,
        afon_valley,
        kingsmere_social_care,
        afon_police,
        sam,
        kingsmere_team,
        amira,
        jo,
        priya,
        dev,
        cara,
        iwan,
        alex,
        tom,
        kingsmere_health,
        grace,
        ben,
        rhian,
        sara,
        jade,
        jades_case,
        template,
    )
}


class Cast:
    """Whoever is asked for, made once with whoever they need (``db`` is the
    caller's business: make the cast where the database may be used)."""

    def __init__(self) -> None:
        self.made: dict[str, Any] = {"db": None}

    def __call__(self, name: str) -> Any:
        if name not in self.made:
            member = MEMBERS[name]
            needs = [self(need) for need in inspect.signature(member).parameters]
            self.made[name] = member(*needs)
        return self.made[name]
