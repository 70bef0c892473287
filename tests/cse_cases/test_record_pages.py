"""The record in the browser and the API: pages, audit rows, query counts.

Creating and editing the record is in test_record_editing.py."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cse_cases.models import Alias, AuditAction, AuditEvent, CaseMember, RiskLevelChange
from cse_cases.selectors import SEARCH_LIMIT
from tests.conftest import years_before
from tests.factories import (
    CaseFactory,
    UserFactory,
    YoungPersonFactory,
    api_token_key,
    posted_as_date_input,
)

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return client


def form_data(kingsmere, **overrides) -> dict:
    data = {
        "legal_first_name": "Kayla",
        "legal_last_name": "Brooks",
        "date_of_birth": (years_before(timezone.localdate(), 15)).isoformat(),
        "gender": "female",
        "ethnicity": "not_known",
        "legal_status": "none",
        "placement_type": "home",
        "placement_moves": "0",
        "area": kingsmere.pk,
    }
    return posted_as_date_input({**data, **overrides}, "date_of_birth", "placement_start")


# --- Audit completeness ---------------------------------------------------------


def test_viewing_a_record_writes_an_audit_row(jade, jades_case, grace, sign_in) -> None:
    sign_in(grace).get(reverse("young-person", args=[jade.pk]))
    event = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert (event.username, event.young_person_id) == ("grace", jade.pk)
    assert event.agency_name == "Kingsmere and Afon Health Board"
    assert event.ip_address == "127.0.0.1"


def test_a_refused_view_writes_no_view_row(jade, jades_case, tom, sign_in) -> None:
    assert sign_in(tom).get(reverse("young-person", args=[jade.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()


def test_searches_are_audited(jade, jades_case, amira, sign_in) -> None:
    sign_in(amira).get(reverse("young-people"), {"q": "jade"})
    # One row per child the search returned, so "who has seen this" includes it.
    event = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert (event.young_person_id, event.detail) == (jade.pk, "search: 1 results")


def test_api_reads_are_audited(jade, jades_case, amira) -> None:
    client = api(amira)
    client.get(f"/api/v1/young-people/{jade.pk}/")
    client.get(f"/api/v1/cases/{jades_case.pk}/")
    client.get("/api/v1/young-people/?q=jade")
    actions = list(
        AuditEvent.objects.exclude(object_type="apitoken")
        .order_by("at")
        .values_list("action", "object_type")
    )
    assert actions == [("view", "youngperson"), ("view", "case"), ("search", "youngperson")]


def test_who_has_seen_the_record(jade, jades_case, amira, grace, sign_in) -> None:
    sign_in(grace).get(reverse("young-person", args=[jade.pk]))
    page = sign_in(amira).get(reverse("young-person", args=[jade.pk]))
    viewers = {v.username: v.views for v in page.context["viewers"]}
    assert viewers == {"grace": 1, "amira": 1}
    # A team member who does not lead the case does not get the panel.
    assert sign_in(grace).get(reverse("young-person", args=[jade.pk])).context["viewers"] is None


# --- The record page --------------------------------------------------------------


def test_record_page_shows_the_summary_team_and_flags(jade, jades_case, amira, sign_in) -> None:
    page = sign_in(amira).get(reverse("young-person", args=[jade.pk])).content.decode()
    assert "Jade Morgan (known as JJ)" in page
    assert "Age 14" in page
    assert "Under 16" in page
    assert "Grace Adeyemi, School nurse" in page


def test_html_in_a_record_is_shown_as_text(jade, jades_case, amira, sign_in) -> None:
    jade.school = "<script>alert('x')</script>"
    jade.save()
    page = sign_in(amira).get(reverse("young-person", args=[jade.pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_restricted_details_only_for_the_lead_and_cse_leads(
    jade, jades_case, amira, grace, sign_in
) -> None:
    jade.sexual_orientation = "Bisexual"
    jade.save()
    assert (
        "Bisexual" in sign_in(amira).get(reverse("young-person", args=[jade.pk])).content.decode()
    )
    assert (
        "Bisexual"
        not in sign_in(grace).get(reverse("young-person", args=[jade.pk])).content.decode()
    )
    assert "sexual_orientation" not in api(grace).get(f"/api/v1/young-people/{jade.pk}/").json()


# What the record page reads, at most: the session, the reader (with their
# districts) and their authenticator, then the page itself. The session is not
# saved on every request (cse_cases/sessions.py).
RECORD_PAGE_QUERIES = 12


def test_record_page_query_count_is_constant(
    jade, jades_case, amira, sign_in, django_assert_max_num_queries
) -> None:
    client = sign_in(amira)
    url = reverse("young-person", args=[jade.pk])

    def grow(n: int) -> None:
        member = UserFactory(agency=amira.agency)
        CaseMember.objects.create(case=jades_case, user=member, role=f"Worker {n}", added_by=amira)
        RiskLevelChange.objects.create(
            case=jades_case, level="medium", rationale="r", decided_by=amira
        )
        Alias.objects.create(young_person=jade, name=f"Nickname {n}")

    grow(0)  # one of everything the page lists
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    # Read it now: every request clears Django's query log.
    baseline = len(few)
    # Issue 16: the chronology is one query, the record's aliases, lead count
    # and open missing review come with the record, each case's team, risk
    # history and emergency access with the cases.
    assert baseline <= RECORD_PAGE_QUERIES
    for n in range(1, 16):
        grow(n)
        client.get(url)  # more views in the audit trail too
    with django_assert_max_num_queries(baseline):
        assert client.get(url).status_code == 200


def test_search_query_count_is_constant(
    amira, kingsmere, sign_in, django_assert_max_num_queries
) -> None:
    client = sign_in(amira)
    first = YoungPersonFactory(legal_first_name="Jade", area=kingsmere, created_by=amira)
    CaseFactory(young_person=first, lead_professional=amira)
    client.get(reverse("young-people"), {"q": "jade"})
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("young-people"), {"q": "jade"})
    baseline = len(few)
    for _ in range(40):
        person = YoungPersonFactory(legal_first_name="Jade", area=kingsmere, created_by=amira)
        CaseFactory(young_person=person, lead_professional=amira)
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("young-people"), {"q": "jade"})
    # One screen of the nearest matches, however many there are.
    assert len(response.context["results"]) == SEARCH_LIMIT == 20
    assert "The 20 closest matches" in response.content.decode()


def test_api_lists_write_an_audit_row_per_child(jade, jades_case, amira) -> None:
    api(amira).get("/api/v1/young-people/")
    api(amira).get("/api/v1/case-notes/")
    rows = AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="youngperson")
    assert list(rows.values_list("young_person_id", flat=True)) == [jade.pk]


def test_api_list_queries_do_not_grow_per_row(
    amira, kingsmere, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(amira)
    for _ in range(2):
        CaseFactory(
            young_person=YoungPersonFactory(area=kingsmere, created_by=amira),
            lead_professional=amira,
        )
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/young-people/")
    baseline = len(few)
    for _ in range(20):
        CaseFactory(
            young_person=YoungPersonFactory(area=kingsmere, created_by=amira),
            lead_professional=amira,
        )
    with django_assert_max_num_queries(baseline):
        assert client.get("/api/v1/young-people/").json()["count"] == 22
