"""The rest of the journey's edges: a CSE lead who supervises a team, reads
audited per child, the team figures on the list page, and input no page or
API call may turn into a server error."""

from __future__ import annotations

import pytest

from cse_cases.models import AuditEvent, Role
from supervision.sessions.models import SupervisionSession
from tests.conftest import ORDINARY_TUESDAY
from tests.factories import TeamFactory, UserFactory
from tests.supervision.sessions.conftest import record
from tests.supervision.sessions.test_sessions_pages import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(ORDINARY_TUESDAY)]


def test_a_cse_lead_who_supervises_a_team_holds_its_sessions(
    sign_in, jo, kingsmere_social_care, kingsmere
):
    team = TeamFactory(name="Missing Team", agency=kingsmere_social_care, supervisor=jo)
    worker = UserFactory(
        role=Role.PRACTITIONER, agency=kingsmere_social_care, team=team, areas=[kingsmere]
    )
    response = sign_in(jo).post(f"/supervision/new/?worker={worker.pk}", form_data())
    assert response.status_code == 302
    session = SupervisionSession.objects.get()
    assert (session.supervisor, session.worker) == (jo, worker)


def test_reading_a_session_is_audited_for_each_child_discussed(session, sign_in, sam, jade):
    sign_in(sam).get(f"/supervision/{session.pk}/")
    assert AuditEvent.objects.filter(
        user_id=sam.pk, action="view", object_type="supervisionsession", object_id=session.pk
    ).exists()
    assert AuditEvent.objects.filter(
        user_id=sam.pk, action="view", object_type="casediscussion", young_person_id=jade.pk
    ).exists()


def test_the_list_shows_team_figures_without_a_small_wellbeing_number(session, sign_in, sam):
    page = sign_in(sam).get("/supervision/").content.decode()
    assert "Your teams over the last quarter" in page
    assert "1 of 1" in page  # Amira, supervised on time
    assert "60 minutes" in page
    assert "Fewer than 5 workers" in page
    assert "3.0" not in page  # Amira's own rating is never shown as a figure


def test_a_nul_byte_is_refused_with_a_message_not_a_server_error(session, sign_in, sam, amira):
    page = sign_in(sam).post(
        f"/supervision/new/?worker={amira.pk}", form_data(support="before\x00later")
    )
    assert page.status_code == 400
    api = sign_in(sam).patch(
        f"/api/v1/supervision-sessions/{session.pk}/",
        '{"version": 1, "support": "a\\u0000b"}',
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "NUL" in api.content.decode() or "character" in api.content.decode()
    assert not SupervisionSession.objects.filter(support__contains="later").exists()


def test_huge_text_through_the_api_is_a_400_naming_the_field(session, sign_in, sam):
    response = sign_in(sam).patch(
        f"/api/v1/supervision-sessions/{session.pk}/",
        {"version": 1, "support": "x" * 20_001},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "at most 20,000 characters" in response.json()["errors"]["support"][0]


def test_non_numeric_ids_in_paths_are_404(sign_in, sam):
    for url in ("/supervision/abc/", "/supervision/1e3/edit/", "/api/v1/supervision-sessions/x/"):
        assert sign_in(sam).get(url).status_code == 404


def test_an_outsider_cannot_record_through_the_service(ben, amira):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        record(by=ben, worker=amira)
