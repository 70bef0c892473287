"""Case notes and the chronology: visibility per note, filters, bad input, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cse_cases import chronology, services
from cse_cases.models import AuditAction, AuditEvent, NoteVisibility
from tests.conftest import verified

pytestmark = pytest.mark.django_db


def note(case, author, text: str, **kwargs):
    return services.case_note_add(
        by=verified(author), case=case, note_type="contact_young_person", text=text, **kwargs
    )


def texts(user, young_person, **flt) -> list[str]:
    entries = chronology.timeline(verified(user), young_person, chronology.Filter(**flt))
    return [e.body for e in entries if e.kind == "note"]


def test_each_note_is_seen_by_whom_it_says(jade, jades_case, amira, grace, jo, sam, ben) -> None:
    note(jades_case, amira, "Team note")
    note(jades_case, amira, "Social care only", visibility=NoteVisibility.AGENCY)
    note(jades_case, grace, "Health only", visibility=NoteVisibility.AGENCY)
    note(jades_case, amira, "For Sam", visibility=NoteVisibility.NAMED, named_viewers=[sam])
    assert set(texts(amira, jade)) == {
        "Team note",
        "Social care only",
        "Health only",
        "For Sam",
    } - {"Health only"}
    assert set(texts(grace, jade)) == {"Team note", "Health only"}
    assert set(texts(sam, jade)) == {"Team note", "Social care only", "For Sam"}
    # CSE leads of the district see every note.
    assert set(texts(jo, jade)) == {"Team note", "Social care only", "Health only", "For Sam"}
    assert texts(ben, jade) == []  # not on the case at all


def test_the_timeline_merges_notes_case_events_and_risk(jade, jades_case, amira) -> None:
    note(jades_case, amira, "Earlier", occurred_at=timezone.now() - timedelta(days=2))
    services.case_risk_set(by=verified(amira), case=jades_case, level="high", rationale="Missing")
    entries = chronology.timeline(verified(amira), jade)
    # The case opened today (its day starts at midnight), after the note of two days ago.
    assert [e.kind for e in entries] == ["risk", "case", "note"]
    only_notes = chronology.timeline(
        verified(amira), jade, chronology.Filter(kinds=frozenset({"note"}))
    )
    assert [e.kind for e in only_notes] == ["note"]


def test_filter_by_agency(jade, jades_case, amira, grace) -> None:
    note(jades_case, amira, "From social care")
    note(jades_case, grace, "From health")
    assert texts(amira, jade, agency_id=grace.agency_id) == ["From health"]


def test_a_100_kb_note_is_refused_with_advice(jades_case, amira) -> None:
    with pytest.raises(services.RecordError, match="a note can hold 50,000"):
        note(jades_case, amira, "x" * 100_000)


def test_a_note_cannot_be_in_the_future(jades_case, amira) -> None:
    with pytest.raises(services.RecordError, match="must not be in the future"):
        note(jades_case, amira, "Tomorrow", occurred_at=timezone.now() + timedelta(days=1))


def test_named_notes_need_names(jades_case, amira) -> None:
    with pytest.raises(services.RecordError, match="Name at least one person"):
        note(jades_case, amira, "Secret", visibility=NoteVisibility.NAMED)


def test_adding_a_note_in_the_browser_keeps_the_text_on_error(
    jade, jades_case, amira, sign_in
) -> None:
    client = sign_in(amira)
    data = {
        "note_type": "contact_young_person",
        "occurred_at": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "text": "Jade said <b>he</b> gave her a phone",
        "young_persons_words": "He said I owe him",
        "visibility": "team",
    }
    page = client.post(reverse("note-add", args=[jade.pk]), data).content.decode()
    assert "must not be in the future" in page
    assert "He said I owe him" in page
    data["occurred_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    assert client.post(reverse("note-add", args=[jade.pk]), data).status_code == 302
    record = client.get(reverse("young-person", args=[jade.pk])).content.decode()
    assert "&lt;b&gt;he&lt;/b&gt;" in record
    assert "He said I owe him" in record


def test_htmx_filter_returns_the_fragment_and_is_audited(jade, jades_case, amira, sign_in) -> None:
    note(jades_case, amira, "A note")
    response = sign_in(amira).get(
        reverse("chronology", args=[jade.pk]), {"kind": "note"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="chronology"')
    assert "A note" in body
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, detail="chronology").exists()


def test_chronology_query_count_is_constant(
    jade, jades_case, amira, sign_in, django_assert_max_num_queries
) -> None:
    client = sign_in(amira)
    url = reverse("chronology", args=[jade.pk])
    note(jades_case, amira, "first")  # one of everything the timeline shows
    services.case_risk_set(by=verified(amira), case=jades_case, level="low", rationale="first")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    baseline = len(few)
    for n in range(30):
        note(jades_case, amira, f"note {n}")
        services.case_risk_set(
            by=verified(amira), case=jades_case, level="medium", rationale=str(n)
        )
    with django_assert_max_num_queries(baseline):
        assert client.get(url).status_code == 200


def test_api_notes(jade, jades_case, amira, grace, tom) -> None:
    from rest_framework.test import APIClient

    from tests.factories import api_token_key

    def api(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
        return client

    created = api(grace).post(
        "/api/v1/case-notes/",
        {
            "case": jades_case.pk,
            "note_type": "multi_agency",
            "text": "Health check done",
            "visibility": "agency",
        },
        format="json",
    )
    assert created.status_code == 201
    assert api(grace).get(f"/api/v1/case-notes/?young_person={jade.pk}").json()["count"] == 1
    assert api(amira).get(f"/api/v1/case-notes/?young_person={jade.pk}").json()["count"] == 0
    # An outsider cannot write to the case either, and learns nothing.
    response = api(tom).post(
        "/api/v1/case-notes/",
        {"case": jades_case.pk, "note_type": "other", "text": "x"},
        format="json",
    )
    assert response.status_code in (400, 404)
    assert "Jade" not in response.content.decode()


def test_a_closed_case_takes_no_more_notes(jades_case, amira) -> None:
    services.case_close(by=verified(amira), case=jades_case, reason="Risk reduced")
    jades_case.refresh_from_db()
    with pytest.raises(services.RecordError, match="This case is closed"):
        note(jades_case, amira, "Late note")
