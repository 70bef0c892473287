"""/api/v1/meetings/, /api/v1/actions/ and /api/v1/plans/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.meetings import services
from tests.conftest import ORDINARY_TUESDAY, signed_in_client, verified

# Dates here are "in 3 days", "due yesterday", a review months ahead: all
# counted from one ordinary working day, whatever day the suite runs.
pytestmark = pytest.mark.time_machine(ORDINARY_TUESDAY)


def post(client, name, data, **kwargs):
    return client.post(reverse(name, **kwargs), data, content_type="application/json")


def test_a_cse_lead_runs_a_meeting_through_the_api(jo, jade, jades_case, grace):
    client = signed_in_client(jo)
    created = post(
        client,
        "meeting-api-list",
        {
            "kind": "cse_strategy_meeting",
            "area": jade.area_id,
            "starts_at": (timezone.now() - timedelta(minutes=10)).isoformat(),
            "online": True,
            "young_people": [jade.pk],
        },
    )
    assert created.status_code == 201, created.json()
    meeting = created.json()
    pk = meeting["id"]
    added = post(client, "meeting-api-participants", {"user": grace.pk, "role": "Nurse"}, args=[pk])
    assert added.status_code == 200
    external = post(
        client,
        "meeting-api-participants",
        {"name": "Dr Shah", "agency_name": "GP practice"},
        args=[pk],
    )
    assert any(p["external"] for p in external.json()["participants"])
    marks = {str(p["id"]): "attended" for p in external.json()["participants"]}
    held = post(client, "meeting-api-attendance", {"attendance": marks}, args=[pk])
    assert held.json()["status"] == "held"
    subject = held.json()["subjects"][0]
    minuted = post(
        client,
        "meeting-api-minutes",
        {"subject": subject["id"], "version": 1, "minutes": "Discussed", "agreed_level": "medium"},
        args=[pk],
    )
    assert minuted.json()["subjects"][0]["agreed_level"] == "medium"
    action = post(
        client,
        "action-api-list",
        {
            "young_person": jade.pk,
            "meeting": pk,
            "description": "Visit",
            "owner": grace.pk,
            "due_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
    )
    assert action.status_code == 409
    assert action.json()["code"] == "needs_confirmation"
    distributed = post(client, "meeting-api-distribute", {"kind": "record"}, args=[pk])
    assert distributed.json()["record_distributed_at"]


def test_meetings_list_only_the_young_people_you_may_see(panel, jo, grace, jade):
    services.participant_add(by=verified(jo), meeting=panel, user=grace)
    body = signed_in_client(grace).get(reverse("meeting-api-detail", args=[panel.pk])).json()
    assert [s["young_person"] for s in body["subjects"]] == [jade.pk]
    assert body["withheld"] == 2


def test_the_owner_updates_an_action_with_evidence(panel, jo, jade, grace):
    action = services.action_add(
        by=verified(jo),
        meeting=panel,
        young_person=jade,
        description="Health check",
        owner=grace,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    client = signed_in_client(grace)
    mine = client.get(reverse("action-api-list") + "?mine=1").json()
    assert [a["id"] for a in mine["results"]] == [action.pk]
    url = reverse("action-api-detail", args=[action.pk])
    refused = client.patch(url, {"version": 1, "status": "done"}, content_type="application/json")
    assert refused.status_code == 400
    assert "evidence" in refused.json()["errors"]
    done = client.patch(
        url,
        {"version": 1, "status": "done", "evidence": "Seen 2 Dec"},
        content_type="application/json",
    )
    assert done.json()["status"] == "done"


def test_a_plan_is_reviewed_to_version_two_through_the_api(jades_case, amira):
    client = signed_in_client(amira)
    base = {
        "case": jades_case.pk,
        "consistent_worker": amira.pk,
        "review_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "needs_and_outcomes": "Safe",
        "young_person_support": "Weekly",
        "disruption_and_investigation": "Notices served",
    }
    assert post(client, "plan-api-list", {**base, "based_on": 0}).status_code == 201
    stale = post(client, "plan-api-list", {**base, "based_on": 0})
    assert stale.status_code == 409
    second = post(client, "plan-api-list", {**base, "based_on": 1, "health": "GP"})
    assert [v["number"] for v in second.json()["versions"]] == [2, 1]
    missing = post(
        client, "plan-api-list", {**base, "based_on": 2, "disruption_and_investigation": ""}
    )
    assert missing.status_code == 400
    assert "disruption_and_investigation" in missing.json()["errors"]


def test_outsiders_see_nothing(panel, ben, tom, priya):
    for outsider in (ben, tom):
        client = signed_in_client(outsider)
        assert client.get(reverse("meeting-api-detail", args=[panel.pk])).status_code == 404
        assert client.get(reverse("meeting-api-list")).json()["results"] == []
    assert signed_in_client(priya).get(reverse("meeting-api-list")).status_code == 404


def test_the_chair_moves_a_meeting_through_the_api_and_no_one_else_can(panel, jo, grace, tom):
    later = timezone.now() + timedelta(days=5)
    body = {"starts_at": later.isoformat(), "online": True}
    for outsider in (grace, tom):  # invited-or-not, neither runs the meeting
        refused = post(signed_in_client(outsider), "meeting-api-reschedule", body, args=[panel.pk])
        assert refused.status_code == 404
    moved = post(signed_in_client(jo), "meeting-api-reschedule", body, args=[panel.pk])
    assert moved.status_code == 200, moved.json()
    assert moved.json()["online"] is True
    panel.refresh_from_db()
    assert abs((panel.starts_at - later).total_seconds()) < 1
    nowhere = post(
        signed_in_client(jo),
        "meeting-api-reschedule",
        {"starts_at": later.isoformat(), "place": "", "online": False},
        args=[panel.pk],
    )
    assert nowhere.status_code == 400
    assert "Say where the meeting is" in str(nowhere.json())
