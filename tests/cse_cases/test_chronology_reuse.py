"""The timeline's statement is compiled once per reader and reused
(cse_cases/statements.py): reused, it answers exactly what a fresh build
answers, for every record and every reader, and restricted entries stay
restricted."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cse_cases import chronology, services, statements
from cse_cases.models import BreakGlassGrant, NoteVisibility
from cse_cases.prepared import prepared_on
from tests.conftest import verified
from tests.factories import CaseFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_kept():
    statements.forget()
    yield
    statements.forget()


def note(case, author, text: str, **kwargs):
    return services.case_note_add(
        by=verified(author), case=case, note_type="contact_young_person", text=text, **kwargs
    )


def fresh_build(user, young_person, flt=None):
    """The timeline built from scratch, as before statements were kept."""
    statements.forget()
    statements._ran_queries.clear()
    entries = chronology.timeline(user, young_person, flt)
    statements.forget()
    return entries


def kept_plans() -> list:
    return [plan for plan in statements._plans.values() if plan is not None]


def test_a_readers_statement_is_kept_and_answers_as_a_fresh_build(
    jade, jades_case, amira, kingsmere
) -> None:
    other = YoungPersonFactory(area=kingsmere, created_by=amira)
    others_case = CaseFactory(young_person=other, area=kingsmere, lead_professional=amira)
    note(jades_case, amira, "About Jade")
    note(others_case, amira, "About the other child")
    services.case_risk_set(by=verified(amira), case=jades_case, level="high", rationale="Missing")
    reader = verified(amira)
    expected = {yp.pk: fresh_build(reader, yp) for yp in (jade, other)}
    for _ in range(3):  # the first builds may run the content-type lookup
        for young_person in (jade, other):
            assert chronology.timeline(reader, young_person) == expected[young_person.pk]
    assert len(kept_plans()) == 1
    # Each record's own entries, through the same kept statement.
    assert [e.body for e in chronology.timeline(reader, other) if e.kind == "note"] == [
        "About the other child"
    ]


def test_a_kept_statement_is_never_used_for_another_reader(
    jade, jades_case, amira, grace, jo, ben
) -> None:
    note(jades_case, amira, "Social care only", visibility=NoteVisibility.AGENCY)
    note(jades_case, grace, "Health only", visibility=NoteVisibility.AGENCY)
    for _ in range(3):
        for reader, seen in (
            (amira, {"Social care only"}),
            (grace, {"Health only"}),
            (jo, {"Social care only", "Health only"}),
            (ben, set()),
        ):
            entries = chronology.timeline(verified(reader), jade)
            assert {e.body for e in entries if e.kind == "note"} == seen


def test_each_filter_gets_its_own_statement(jade, jades_case, amira, grace) -> None:
    note(jades_case, amira, "From social care")
    note(jades_case, grace, "From health")
    reader = verified(amira)
    by_health = chronology.Filter(agency_id=grace.agency_id)
    notes_only = chronology.Filter(kinds=frozenset({"note"}))
    for _ in range(3):
        assert [e.body for e in chronology.timeline(reader, jade, by_health)] == ["From health"]
        assert {e.kind for e in chronology.timeline(reader, jade, notes_only)} == {"note"}
        assert {e.kind for e in chronology.timeline(reader, jade)} == {"note", "case"}


def test_break_glass_access_ends_on_time_with_a_kept_statement(jade, jades_case, amira, ben):
    note(jades_case, amira, "Team note")
    start = timezone.now()
    BreakGlassGrant.objects.create(
        case=jades_case, user=ben, reason="Out of hours", expires_at=start + timedelta(hours=4)
    )
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(3):
            assert "Team note" in [e.body for e in chronology.timeline(verified(ben), jade)]
        assert kept_plans()
        clock.shift(timedelta(hours=4, seconds=1))
        assert chronology.timeline(verified(ben), jade) == []


def test_a_new_colleague_on_the_case_is_seen_at_once(jade, jades_case, amira, ben) -> None:
    note(jades_case, amira, "Team note")
    for _ in range(3):
        assert chronology.timeline(verified(ben), jade) == []
    services.case_member_add(by=verified(amira), case=jades_case, user=ben, role="Police")
    assert "Team note" in [e.body for e in chronology.timeline(verified(ben), jade)]


def test_the_kept_statement_is_prepared_once_per_database_session(jade, jades_case, amira):
    note(jades_case, amira, "Team note")
    reader = verified(amira)
    expected = fresh_build(reader, jade)
    for _ in range(2):
        chronology.timeline(reader, jade)
    with CaptureQueriesContext(connection) as queries:
        assert chronology.timeline(reader, jade) == expected
    assert [q["sql"].split(" ", 1)[0] for q in queries] in (["EXECUTE"], ["PREPARE"])
    # A new database session has no prepared statements: it prepares again,
    # in the same single round trip.
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    prepared_on(connection).clear()
    with CaptureQueriesContext(connection) as queries:
        assert chronology.timeline(reader, jade) == expected
    assert len(queries) == 1
    assert queries[0]["sql"].startswith("PREPARE ")
