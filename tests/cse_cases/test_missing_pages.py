"""Missing episodes on the pages and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cse_cases.models import MissingEpisode, ReturnInterview
from tests.cse_cases.test_api import token_client
from tests.cse_cases.test_missing import GOOD, csv_for, record

pytestmark = pytest.mark.django_db


def local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def form(**overrides) -> dict:
    seen = timezone.now() - timedelta(hours=40)
    data = {
        "last_seen_at": local(seen),
        "reported_at": local(seen + timedelta(hours=2)),
        "returned_at": "",
        "police_reference": "MP/77",
        "risk_grading": "high",
        "missing_or_absent": "missing",
        "missing_from": "placement",
        "exploitation_concern": "on",
        "exploitation_concern_detail": "Seen with <b>older men</b>",
    }
    data.update(overrides)
    return data


def test_an_episode_is_recorded_then_the_return(amira, jade, jades_case, sign_in) -> None:
    client = sign_in(amira)
    response = client.post(reverse("missing-episode-create", args=[jade.pk]), form())
    episode = MissingEpisode.objects.get()
    assert response.url == reverse("missing-episode", args=[episode.pk])
    page = client.get(response.url).content.decode()
    assert "Still missing" in page
    assert "Seen with &lt;b&gt;older men&lt;/b&gt;" in page
    back = episode.last_seen_at + timedelta(hours=30)
    data = form(returned_at=local(back), where_found="Station Hotel", version=episode.version)
    client.post(reverse("missing-episode-edit", args=[episode.pk]), data)
    episode.refresh_from_db()
    assert episode.returned_at is not None
    record_page = client.get(reverse("young-person", args=[jade.pk])).content.decode()
    assert "Over 24 hours" in record_page
    assert "Due by" in record_page
    assert "Missing from placement: returned after 1" in record_page  # the chronology


def test_bad_times_are_explained_and_kept(amira, jade, jades_case, sign_in) -> None:
    seen = timezone.now() - timedelta(hours=10)
    data = form(
        last_seen_at=local(seen),
        reported_at=local(seen + timedelta(hours=3)),
        returned_at=local(seen + timedelta(hours=1)),
    )
    response = sign_in(amira).post(reverse("missing-episode-create", args=[jade.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "The return must be after the young person was reported missing" in page
    assert 'value="MP/77"' in page
    assert not MissingEpisode.objects.exists()


def test_the_social_worker_must_confirm_on_the_page(amira, grace, jade, jades_case, sign_in):
    episode = record(amira, jade)
    data = {
        "offered_at": local(episode.returned_at + timedelta(hours=2)),
        "interviewer": amira.pk,
        "interviewer_relationship": "other_professional",
        "outcome": "held",
        "held_at": local(episode.returned_at + timedelta(hours=3)),
        "young_persons_words": "I was at a flat in town",
    }
    client = sign_in(amira)
    url = reverse("return-interview-create", args=[episode.pk])
    page = client.post(url, data).content.decode()
    assert "allocated social worker" in page
    assert "I was at a flat in town" in page  # nothing typed is lost
    assert not ReturnInterview.objects.exists()
    client.post(url, {**data, "confirm": "on"})
    assert ReturnInterview.objects.get().interviewer == amira
    refused = client.post(
        reverse("return-interview-create", args=[record(amira, jade, hours_ago=90).pk]),
        {**data, "interviewer": grace.pk, "interviewer_relationship": "carer"},
    )
    assert "must be independent" in refused.content.decode()


def test_the_import_page_lists_each_bad_row(jo, jade, jades_case, sign_in) -> None:
    bad = csv_for(jade, GOOD[0], GOOD[1].replace(",medium,", ",severe,"))
    client = sign_in(jo)
    page = client.post(
        reverse("missing-import"), {"file": SimpleUploadedFile("missing.csv", bad)}
    ).content.decode()
    assert "Nothing was imported" in page
    assert "Row 3: risk_grading &#x27;severe&#x27;" in page
    assert not MissingEpisode.objects.exists()
    good = csv_for(jade, *GOOD)
    page = client.post(
        reverse("missing-import"), {"file": SimpleUploadedFile("missing.csv", good)}
    ).content.decode()
    assert "2 added, 0 already imported" in page


def test_the_api_records_an_episode_and_asks_to_confirm(amira, jade, jades_case, tom) -> None:
    client = token_client(amira)
    seen = timezone.now() - timedelta(hours=20)
    created = client.post(
        "/api/v1/missing-episodes/",
        {
            "young_person": jade.pk,
            "last_seen_at": seen.isoformat(),
            "reported_at": (seen + timedelta(hours=1)).isoformat(),
            "returned_at": (seen + timedelta(hours=5)).isoformat(),
            "risk_grading": "low",
            "missing_or_absent": "absent",
            "missing_from": "home",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    episode = created.json()
    assert episode["interview_due_at"]
    interview = {
        "episode": episode["id"],
        "offered_at": (seen + timedelta(hours=6)).isoformat(),
        "interviewer": amira.pk,
        "interviewer_relationship": "social_worker",
        "outcome": "unable_to_locate",
        "attempts": "Three visits",
    }
    answer = client.post("/api/v1/return-interviews/", interview, format="json")
    assert answer.status_code == 409
    assert answer.json()["code"] == "needs_confirmation"
    answer = client.post(
        "/api/v1/return-interviews/", {**interview, "confirm": True}, format="json"
    )
    assert answer.status_code == 201
    assert token_client(tom).get(f"/api/v1/missing-episodes/{episode['id']}/").status_code == 404
    stale = client.patch(
        f"/api/v1/missing-episodes/{episode['id']}/",
        {"version": 99, "where_found": "Park"},
        format="json",
    )
    assert stale.status_code == 409


def test_an_error_on_one_form_does_not_mark_the_next(amira, jade, jades_case, sign_in) -> None:
    client = sign_in(amira)
    client.post(reverse("missing-episode-create", args=[jade.pk]), form(reported_at="nonsense"))
    fresh = client.get(reverse("missing-episode-create", args=[jade.pk])).content.decode()
    assert "--error" not in fresh


def test_an_edit_without_its_version_is_refused(amira, jade, jades_case, sign_in) -> None:
    episode = record(amira, jade)
    response = sign_in(amira).post(
        reverse("missing-episode-edit", args=[episode.pk]), form(version="abc")
    )
    assert response.status_code == 400
    assert "Reload the episode" in response.content.decode()
    api = token_client(amira).patch(
        f"/api/v1/missing-episodes/{episode.pk}/", {"version": "x"}, format="json"
    )
    assert api.status_code == 400


def test_record_page_query_count_is_constant_with_episodes(
    amira, grace, jade, jades_case, sign_in, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.cse_cases.test_missing import interview

    client = sign_in(amira)
    url = reverse("young-person", args=[jade.pk])
    interview(amira, record(amira, jade, hours_ago=1000), grace)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    baseline = len(few)
    for n in range(12):
        episode = record(amira, jade, hours_ago=900 - n * 40)
        interview(amira, episode, grace)
    with django_assert_max_num_queries(baseline):
        page = client.get(url)
    assert len(page.context["missing"]["episodes"]) == 10


def test_a_half_typed_interview_survives_a_time_out(amira, jade, jades_case, sign_in) -> None:
    episode = record(amira, jade)
    client = sign_in(amira)
    saved = client.post(
        reverse("draft-save"),
        {"form_key": f"return-interview:{episode.pk}", "disclosures": "She named the driver"},
    )
    assert saved.status_code == 200
    page = client.get(reverse("return-interview-create", args=[episode.pk])).content.decode()
    assert "Draft restored" in page
    assert "She named the driver" in page
