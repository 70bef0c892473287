"""Sam records a session with Amira in the browser's forms; the decision and
action go onto Jade's record for the team, the private parts stay with the pair."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Action
from cse_cases.models import AuditEvent, Draft
from supervision.sessions.models import SupervisionSession
from tests.conftest import ORDINARY_TUESDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(ORDINARY_TUESDAY)]

PRIVATE_TEXT = ("Tired after a hard week", "second car", "trauma-informed", "stretched")


def form_data(case=None, owner=None, **overrides):
    today = timezone.localdate()
    due = today + timedelta(days=7)
    data = {
        "held_on_day": str(today.day),
        "held_on_month": str(today.month),
        "held_on_year": str(today.year),
        "duration_minutes": "75",
        "format": "one_to_one",
        "development": "Training on trauma-informed interviewing",
        "support": "Tired after a hard week with Jade",
        "mediation": "Ask for a second car for evening visits",
        "wellbeing_rating": "3",
        "wellbeing_words": "Coping, but stretched",
        "cases-TOTAL_FORMS": "2",
        "cases-INITIAL_FORMS": "0",
        "cases-MIN_NUM_FORMS": "0",
        "cases-MAX_NUM_FORMS": "20",
    }
    if case is not None:
        data.update(
            {
                "cases-0-case": str(case.pk),
                "cases-0-decision": "Refer to the specialist service",
                "cases-0-action_description": "Book the sexual health appointment",
                "cases-0-action_owner": str(owner.pk),
                "cases-0-action_due_on_day": str(due.day),
                "cases-0-action_due_on_month": str(due.month),
                "cases-0-action_due_on_year": str(due.year),
            }
        )
    data.update(overrides)
    return data


def test_a_supervisor_records_a_session_with_a_case_decision_and_an_action(
    sign_in, sam, amira, grace, jades_case
):
    response = sign_in(sam).post(
        f"/supervision/new/?worker={amira.pk}", form_data(jades_case, grace)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    session = SupervisionSession.objects.get()
    assert (session.supervisor, session.worker, session.duration_minutes) == (sam, amira, 75)
    discussion = session.case_discussions.get()
    action = discussion.actions.get()
    assert (action.owner, action.meeting, action.young_person) == (
        grace,
        None,
        jades_case.young_person,
    )
    assert action.created_by == sam
    assert AuditEvent.objects.filter(object_type="casediscussion", user_id=sam.pk).exists()
    assert AuditEvent.objects.filter(
        object_type="action", young_person_id=jades_case.young_person_id
    ).exists()


def test_the_decision_goes_on_the_childs_chronology_without_the_private_parts(
    session, sign_in, grace, jo, amira, jade
):
    for reader in (grace, jo, amira):
        page = sign_in(reader).get(f"/young-people/{jade.pk}/chronology/").content.decode()
        assert "Case supervision" in page, reader
        assert "Keep the weekly visits" in page
        assert "Book the sexual health appointment" in page
        for text in PRIVATE_TEXT:
            assert text not in page, (reader, text)


def test_only_the_pair_read_the_private_parts(session, sign_in, sam, amira, dev, jo, grace, ben):
    for reader in (sam, amira):
        page = sign_in(reader).get(f"/supervision/{session.pk}/").content.decode()
        assert all(text in page for text in PRIVATE_TEXT), reader
        assert "Keep the weekly visits" in page
    # Information governance: that it happened, nothing of what was said.
    page = sign_in(dev).get(f"/supervision/{session.pk}/").content.decode()
    assert "60 minutes" in page
    assert not any(text in page for text in PRIVATE_TEXT)
    assert "Keep the weekly visits" not in page
    for outsider in (jo, grace, ben):
        assert sign_in(outsider).get(f"/supervision/{session.pk}/").status_code == 404


def test_the_worker_writes_a_reflection_and_nobody_else_may(session, sign_in, amira, sam):
    url = f"/supervision/{session.pk}/reflection/"
    assert sign_in(sam).get(url).status_code == 404
    response = sign_in(amira).post(url, {"worker_reflection": "I need to say no more often"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.worker_reflection == "I need to say no more often"
    assert (
        "I need to say no more often"
        in sign_in(sam).get(f"/supervision/{session.pk}/").content.decode()
    )


def test_a_stale_save_keeps_both_texts_and_says_so(session, sign_in, sam, amira):
    url = f"/supervision/{session.pk}/edit/"
    first = form_data(support="Sam's first words", version=str(session.version))
    stale = form_data(support="The second supervisor's words", version=str(session.version))
    assert sign_in(sam).post(url, first).status_code == 302
    response = sign_in(sam).post(url, stale)
    page = response.content.decode()
    assert response.status_code == 200
    assert "saved by someone else" in page
    assert "The second supervisor&#x27;s words" in page  # what they typed, in the form
    assert "Sam&#x27;s first words" in page  # what was saved, beside it
    session.refresh_from_db()
    assert session.support == "Sam's first words"
    # Saving again, having read both, goes through.
    again = form_data(support="Both: combined", version=str(session.version))
    assert sign_in(sam).post(url, again).status_code == 302
    session.refresh_from_db()
    assert session.support == "Both: combined"


def test_the_form_autosaves_through_the_drafts(sign_in, sam, amira):
    key = f"supervision-new:{amira.pk}"
    response = sign_in(sam).post(reverse("draft-save"), {"form_key": key, "support": "Half-typed"})
    assert response.status_code == 200
    assert Draft.objects.get(user=sam, form_key=key).data["support"] == "Half-typed"
    page = sign_in(sam).get(f"/supervision/new/?worker={amira.pk}").content.decode()
    assert "Draft restored" in page
    assert "Half-typed" in page


def test_a_case_row_autosaved_as_typed_is_still_saved(sign_in, sam, amira, grace, jades_case):
    """The draft holds what was typed; it must not make the posted rows look
    unchanged (Django's formsets drop unchanged rows)."""
    data = form_data(jades_case, grace)
    client = sign_in(sam)
    client.post(reverse("draft-save"), {"form_key": f"supervision-new:{amira.pk}", **data})
    assert client.post(f"/supervision/new/?worker={amira.pk}", data).status_code == 302
    assert SupervisionSession.objects.get().case_discussions.count() == 1
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"held_on_day": "10", "held_on_month": "12", "held_on_year": "2026"},
            "held_on",
            "more than a day ahead",
        ),
        ({"duration_minutes": "0"}, "duration_minutes", "at least 1 minute"),
        ({"duration_minutes": "481"}, "duration_minutes", "at most 480 minutes"),
        ({"duration_minutes": "an hour"}, "duration_minutes", "whole number of minutes"),
        ({"wellbeing_rating": "7"}, "wellbeing_rating", "from 1 to 5"),
        ({"support": "x" * 20_001}, "support", "too long"),
        ({"cases-0-case": "abc", "cases-0-decision": "Refer"}, "case", "open cases"),
    ],
)
def test_bad_input_is_refused_with_a_specific_message_and_nothing_lost(
    sign_in, sam, amira, overrides, field, message
):
    data = form_data(**overrides)
    response = sign_in(sam).post(f"/supervision/new/?worker={amira.pk}", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page, page[:2000]
    assert "Training on trauma-informed interviewing" in page  # what was typed is kept
    assert not SupervisionSession.objects.exists()


def test_a_case_the_worker_is_not_on_is_refused(sign_in, sam, amira, ben, jade, kingsmere):
    from tests.factories import CaseFactory, YoungPersonFactory

    other = CaseFactory(
        young_person=YoungPersonFactory(area=kingsmere, created_by=ben), lead_professional=ben
    )
    data = form_data(**{"cases-0-case": str(other.pk), "cases-0-decision": "Close it"})
    response = sign_in(sam).post(f"/supervision/new/?worker={amira.pk}", data)
    assert response.status_code == 200
    assert "open cases" in response.content.decode()
    assert not Action.objects.exists()


def test_non_numeric_and_unknown_workers_get_404(sign_in, sam, ben):
    for worker in ("abc", "12\u00b2", "", str(ben.pk), "99999999"):
        assert sign_in(sam).get(f"/supervision/new/?worker={worker}").status_code == 404
