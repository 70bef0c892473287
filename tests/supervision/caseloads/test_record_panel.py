"""The record page offers "Move the case" to whoever may give Jade's case
another lead professional, through the record-page panel supervision
registers: Sam (Amira's supervisor) and Jo (Kingsmere's CSE lead) see it;
Amira, who leads the case as a practitioner, and Grace, in the team around
Jade, do not."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cse_cases import access, panels
from tests.conftest import ORDINARY_TUESDAY, verified

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(ORDINARY_TUESDAY)]

LINK = "Move the case to another lead professional"


def record_page(sign_in, user, jade) -> str:
    response = sign_in(user).get(reverse("young-person", args=[jade.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_teams_supervisor_and_the_cse_lead_are_offered_the_move(
    sign_in, sam, jo, jade, jades_case
):
    for person in (sam, jo):
        page = record_page(sign_in, person, jade)
        assert LINK in page
        assert reverse("case-allocate", args=[jades_case.pk]) in page


def test_a_practitioner_is_not_offered_the_move(sign_in, amira, grace, jade, jades_case):
    for person in (amira, grace):
        page = record_page(sign_in, person, jade)
        assert LINK not in page
        assert 'id="case-allocation"' not in page


def test_the_panel_is_registered_by_supervision_and_asks_the_policy(sam, amira, jade, jades_case):
    assert "case-allocation" in [panel.key for panel in panels.panels()]
    assert access.may_allocate(verified(sam), jades_case)
    assert not access.may_allocate(verified(amira), jades_case)


def test_a_closed_case_is_not_offered(sam, jades_case):
    jades_case.status = "closed"
    assert not access.may_allocate(verified(sam), jades_case)


def test_the_cse_leads_answer_in_their_district_asks_no_case_query(jo, rhian, jades_case):
    with CaptureQueriesContext(connection) as queries:
        assert access.may_allocate(verified(jo), jades_case)
    # Outside a request the districts are read; the cases are not.
    assert not [q for q in queries if "cse_cases_case" in q["sql"]]
    # Another district's CSE lead is asked the policy's question, and refused.
    assert not access.may_allocate(verified(rhian), jades_case)
