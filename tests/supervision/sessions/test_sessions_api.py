"""/api/v1/supervision-sessions/: metadata for those allowed, the management
and private parts to the pair only; writes through the same services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from supervision.sessions.models import PRIVATE_FIELDS, SupervisionSession
from tests.conftest import ORDINARY_TUESDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(ORDINARY_TUESDAY)]
URL = "/api/v1/supervision-sessions/"


def test_the_pair_read_every_part(session, sign_in, sam, amira):
    for reader in (sam, amira):
        body = sign_in(reader).get(f"{URL}{session.pk}/").json()
        assert body["support"] == "Tired after a hard week with Jade"
        assert body["case_discussions"][0]["actions"][0]["description"].startswith("Book")


def test_information_governance_sees_only_that_it_happened(session, sign_in, dev, iwan):
    body = sign_in(dev).get(f"{URL}{session.pk}/").json()
    assert set(body) == {"id", "supervisor", "worker", "held_on", "duration_minutes", "format"}
    listed = sign_in(dev).get(URL).json()["results"]
    assert [row["id"] for row in listed] == [session.pk]
    assert not set(PRIVATE_FIELDS) & set(listed[0])
    # Another district's IG: nothing.
    assert sign_in(iwan).get(f"{URL}{session.pk}/").status_code == 404


def test_nobody_else_sees_the_session(session, sign_in, jo, grace, ben, tom, rhian, priya, alex):
    for reader in (jo, grace, ben, tom, rhian, priya, alex):
        assert sign_in(reader).get(f"{URL}{session.pk}/").status_code == 404, reader
    for reader in (jo, grace, ben):
        assert sign_in(reader).get(URL).json()["results"] == []


def test_a_supervisor_records_a_session_through_the_api(sign_in, sam, amira, grace, jades_case):
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = sign_in(sam).post(
        URL,
        {
            "worker": amira.pk,
            "held_on": timezone.localdate().isoformat(),
            "duration_minutes": 50,
            "support": "Heavy week",
            "wellbeing_rating": 4,
            "case_discussions": [
                {
                    "case": jades_case.pk,
                    "decision": "Ask for a strategy meeting",
                    "actions": [{"description": "Call Jo", "owner": grace.pk, "due_on": due}],
                }
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["support"] == "Heavy week"
    assert body["case_discussions"][0]["decision"] == "Ask for a strategy meeting"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_on": "2026-12-09"}, "held_on"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"wellbeing_rating": 6}, "wellbeing_rating"),
        ({"worker": "abc"}, "worker"),
        ({"case_discussions": [{"case": 999999, "decision": "x"}]}, "case_discussions"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(sign_in, sam, amira, changes, field):
    data = {"worker": amira.pk, "held_on": timezone.localdate().isoformat(), "duration_minutes": 60}
    data.update(changes)
    response = sign_in(sam).post(URL, data, content_type="application/json")
    assert response.status_code == 400, response.content
    assert field in response.content.decode()
    assert not SupervisionSession.objects.exists()


def test_a_stale_version_is_a_409_and_overwrites_nothing(session, sign_in, sam):
    client = sign_in(sam)
    first = client.patch(
        f"{URL}{session.pk}/", {"version": 1, "support": "First"}, content_type="application/json"
    )
    assert first.status_code == 200
    stale = client.patch(
        f"{URL}{session.pk}/", {"version": 1, "support": "Second"}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    session.refresh_from_db()
    assert session.support == "First"


def test_only_the_worker_writes_the_reflection(session, sign_in, sam, amira):
    url = f"{URL}{session.pk}/"
    refused = sign_in(sam).patch(url, {"worker_reflection": "x"}, content_type="application/json")
    assert refused.status_code == 400
    done = sign_in(amira).patch(url, {"worker_reflection": "Mine"}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["worker_reflection"] == "Mine"
    # The worker cannot change the supervisor's parts.
    changed = sign_in(amira).patch(
        url, {"version": 1, "support": "x"}, content_type="application/json"
    )
    assert changed.status_code == 404
