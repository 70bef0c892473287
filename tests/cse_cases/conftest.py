"""Fixtures shared by the core's test modules: persons of concern across districts
(test_persons_of_concern_scope.py, test_persons_of_concern_sharing.py)."""

from __future__ import annotations

import pytest

from cse_cases import services
from cse_cases.models import AgencyKind, Nation, Role
from tests.conftest import verified
from tests.factories import AgencyFactory, AreaFactory, UserFactory


@pytest.fixture
def ricky(jo, jade, jades_case, kingsmere):
    """Restricted Kingsmere intelligence, recorded by Jo and linked to Jade."""
    person = services.person_of_concern_create(
        by=verified(jo), name="Ricky Vale", description="Drives a silver Astra", area=kingsmere
    )
    services.link_create(
        by=verified(jo),
        young_person=jade,
        person=person,
        source="Seen together by police",
        source_grading="1",
        information_grading="B",
    )
    return person


@pytest.fixture
def afon_social_worker(afon_valley):
    """A social worker in Afon Valley: not police, not a CSE lead."""
    agency = AgencyFactory(
        name="Afon Valley Children's Services",
        kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
        areas=[afon_valley],
    )
    return UserFactory(username="nia", role=Role.PRACTITIONER, agency=agency, areas=[afon_valley])


@pytest.fixture
def glenmuir_lead(db):
    glenmuir = AreaFactory(name="Glenmuir", code="S06900003", nation=Nation.SCOTLAND)
    return UserFactory(username="moira", role=Role.CSE_LEAD, areas=[glenmuir])
