"""Information governance: the districts it serves and nothing else; finding a
record, reading, filtering and exporting its trail; reviewing emergency access."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cse_cases import audit, services
from cse_cases.models import (
    AuditAction,
    AuditEvent,
    BreakGlassGrant,
    BreakGlassReview,
    ReturnInterview,
    Role,
)
from cse_cases.selectors import governance
from tests.conftest import verified
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(jades_case, tom):
    return services.break_glass_open(
        user=verified(tom), case=jades_case, reason="Found Jade at 2am, no one reachable"
    )


def test_ig_reads_only_the_trails_of_the_districts_it_serves(
    jade, jades_case, dev, iwan, sign_in
) -> None:
    assert sign_in(dev).get(reverse("audit-trail", args=[jade.pk])).status_code == 200
    assert sign_in(iwan).get(reverse("audit-trail", args=[jade.pk])).status_code == 404
    assert sign_in(iwan).get(reverse("audit-trail-export", args=[jade.pk])).status_code == 404


def test_a_record_that_does_not_exist_is_a_404(dev, sign_in) -> None:
    assert sign_in(dev).get(reverse("audit-trail", args=[999999])).status_code == 404


def test_ig_with_no_district_audits_nothing(jade, jades_case, kingsmere_social_care, sign_in):
    nobody = UserFactory(role=Role.INFORMATION_GOVERNANCE, agency=kingsmere_social_care)
    client = sign_in(nobody)
    assert client.get(reverse("audit-trail", args=[jade.pk])).status_code == 404
    assert client.get(reverse("audit-find")).status_code == 404
    assert "serves no district" in client.get("/").content.decode()


def test_a_child_who_moved_keeps_the_trail_of_the_district_that_worked_with_them(
    jade, jades_case, afon_valley, dev, iwan, sign_in
) -> None:
    jade.area = afon_valley
    jade.save()
    assert sign_in(iwan).get(reverse("audit-trail", args=[jade.pk])).status_code == 200
    assert sign_in(dev).get(reverse("audit-trail", args=[jade.pk])).status_code == 200


def test_ig_finds_a_record_by_name_identifier_or_number(
    jade, jades_case, dev, iwan, sign_in
) -> None:
    jade.police_reference = "KM/2026/0042"
    jade.save()
    client = sign_in(dev)
    for params in (
        {"q": "Jade Morgan"},
        {"q": "jade", "date_of_birth": jade.date_of_birth.isoformat()},
        {"identifier": "km/2026/0042"},
        {"record_number": str(jade.pk)},
    ):
        results = client.get(reverse("audit-find"), params).context["results"]
        assert [person.pk for person in results] == [jade.pk], params
    assert sign_in(iwan).get(reverse("audit-find"), {"q": "Jade Morgan"}).context["results"] == []
    assert AuditEvent.objects.filter(
        user_id=dev.pk, action=AuditAction.SEARCH, young_person_id=jade.pk
    ).exists()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"record_number": "abc"}, "The record number is the number in the record"),
        ({"record_number": "99999999999999999999999"}, "No record has a number that large"),
        ({"date_of_birth": "2026-02-31"}, "Date of birth must be a real date"),
    ],
)
def test_bad_search_input_is_explained(dev, sign_in, params, message) -> None:
    response = sign_in(dev).get(reverse("audit-find"), params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_trail_speaks_plainly(jade, jades_case, amira, dev, sign_in) -> None:
    audit.record(
        user=amira,
        action=AuditAction.VIEW,
        object_type=ReturnInterview._meta.model_name,
        young_person_id=jade.pk,
    )
    page = sign_in(dev).get(reverse("audit-trail", args=[jade.pk])).content.decode()
    assert "Viewed the return interview" in page
    assert "returninterview" not in page


def test_the_trail_filters_by_person_action_and_date(
    jade, jades_case, amira, grace, dev, sign_in
) -> None:
    old = audit.record(user=grace, action=AuditAction.VIEW, obj=jade, young_person_id=jade.pk)
    # Rows are append-only (no UPDATE): an old row is made with its date.
    long_ago = AuditEvent.objects.create(
        at=timezone.now() - timedelta(days=40),
        user_id=grace.pk,
        username="grace",
        action=AuditAction.CHANGE,
        object_type="youngperson",
        young_person_id=jade.pk,
    )
    audit.record(user=amira, action=AuditAction.CHANGE, obj=jade, young_person_id=jade.pk)
    client = sign_in(dev)
    url = reverse("audit-trail", args=[jade.pk])

    def shown(**params) -> set[int]:
        return {event.pk for event in client.get(url, params).context["page"].object_list}

    by_grace = shown(person=grace.pk)
    assert by_grace >= {old.pk, long_ago.pk}
    assert all(e.user_id == grace.pk for e in AuditEvent.objects.filter(pk__in=by_grace))
    changes = shown(action="change")
    assert long_ago.pk in changes
    assert old.pk not in changes
    recent = shown(date_from=(timezone.localdate() - timedelta(days=7)).isoformat())
    assert long_ago.pk not in recent
    assert old.pk in recent
    window = timezone.localtime(long_ago.at).date()
    assert shown(date_from=window.isoformat(), date_to=window.isoformat()) == {long_ago.pk}


def test_impossible_filters_are_explained(jade, jades_case, dev, sign_in) -> None:
    client = sign_in(dev)
    url = reverse("audit-trail", args=[jade.pk])
    page = client.get(url, {"date_from": "2026-12-10", "date_to": "2026-12-01"}).content.decode()
    assert "The end date must be on or after the start date" in page
    assert client.get(url, {"person": "abc", "action": "explode"}).status_code == 200
    assert client.get(url, {"page": "abc"}).status_code == 200
    assert client.get(url, {"page": "99999"}).status_code == 200


def test_the_trail_pages_in_a_fixed_number_of_queries(jade, jades_case, amira, dev, sign_in):
    client = sign_in(dev)
    url = reverse("audit-trail", args=[jade.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(governance.TRAIL_PAGE_SIZE + 10):
        audit.record(user=amira, action=AuditAction.VIEW, obj=jade, young_person_id=jade.pk)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    page = response.context["page"]
    assert len(page.object_list) == governance.TRAIL_PAGE_SIZE
    assert page.paginator.num_pages == 2
    assert len(client.get(url, {"page": 2}).context["page"].object_list) > 0


def test_the_trail_exports_as_csv_that_cannot_run_a_formula(
    jade, jades_case, amira, dev, sign_in
) -> None:
    audit.record(
        user=amira,
        action=AuditAction.CHANGE,
        obj=jade,
        young_person_id=jade.pk,
        reason='=HYPERLINK("http://example.invalid","click")',
        fields_changed={"school": ["Old", "+New"]},
    )
    response = sign_in(dev).get(reverse("audit-trail-export", args=[jade.pk]), {"person": amira.pk})
    assert response["Content-Type"].startswith("text/csv")
    assert f"audit-trail-record-{jade.pk}" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["When", "Who", "Agency", "What"]
    assert all(row[1] == "amira" for row in rows[1:])
    reasons = [row[6] for row in rows[1:]]
    assert '\'=HYPERLINK("http://example.invalid","click")' in reasons
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert AuditEvent.objects.filter(
        user_id=dev.pk, action=AuditAction.EXPORT, young_person_id=jade.pk
    ).exists()


def test_ig_reviews_emergency_access_to_its_own_districts_only(
    grant, jade, dev, iwan, sign_in
) -> None:
    home = sign_in(dev).get("/").content.decode()
    assert "1 use of emergency access waiting for review" in home
    queue = sign_in(dev).get(reverse("break-glass-queue"))
    assert [g.pk for g in queue.context["waiting"]] == [grant.pk]
    assert "Found Jade at 2am" in queue.content.decode()
    foreign = sign_in(iwan)
    assert foreign.get(reverse("break-glass-queue")).context["waiting"] == []
    assert "Found Jade at 2am" not in foreign.get("/").content.decode()
    assert foreign.get(reverse("break-glass-review", args=[grant.pk])).status_code == 404
    response = foreign.post(
        reverse("break-glass-review", args=[grant.pk]),
        {"outcome": "appropriate", "note": "Looks fine"},
    )
    assert response.status_code == 404
    assert not BreakGlassReview.objects.exists()


def test_a_review_records_an_outcome_and_a_note_once(grant, jade, dev, sign_in) -> None:
    client = sign_in(dev)
    url = reverse("break-glass-review", args=[grant.pk])
    page = client.post(url, {"outcome": "maybe", "note": ""}).content.decode()
    assert "Choose one of the answers given" in page or "Choose whether" in page
    assert "Write a note" in page
    response = client.post(url, {"outcome": "referred_on", "note": "Passed to the DPO"})
    assert response["Location"] == reverse("break-glass-queue")
    review = BreakGlassReview.objects.get()
    assert (review.grant, review.outcome, review.reviewed_by) == (grant, "referred_on", dev)
    queue = client.get(reverse("break-glass-queue")).context
    assert queue["waiting"] == []
    assert [g.pk for g in queue["reviewed"]] == [grant.pk]
    again = client.post(url, {"outcome": "appropriate", "note": "Changed my mind"})
    assert again.status_code == 200
    assert BreakGlassReview.objects.get().outcome == "referred_on"
    with pytest.raises(services.RecordError):
        services.break_glass_review(
            by=verified(dev), grant=BreakGlassGrant.objects.get(), outcome="appropriate", note="x"
        )
    assert AuditEvent.objects.filter(
        user_id=dev.pk, object_type="breakglassreview", young_person_id=jade.pk
    ).exists()


def test_the_review_queue_is_for_ig_only(grant, amira, jo, tom, priya, alex, sign_in) -> None:
    for person in (amira, jo, tom, priya, alex):
        assert sign_in(person).get(reverse("break-glass-queue")).status_code == 404
        assert (
            sign_in(person).get(reverse("break-glass-review", args=[grant.pk])).status_code == 404
        )


@pytest.mark.parametrize(
    "params",
    [
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
    ],
)
def test_the_furthest_dates_are_a_filter_not_a_server_error(jade, jades_case, dev, sign_in, params):
    client = sign_in(dev)
    assert client.get(reverse("audit-trail", args=[jade.pk]), params).status_code == 200
    export = client.get(reverse("audit-trail-export", args=[jade.pk]), params)
    assert export.status_code == 200
    b"".join(export.streaming_content)


def test_an_export_with_a_bad_filter_is_sent_back_to_the_filter(jade, jades_case, dev, sign_in):
    url = reverse("audit-trail-export", args=[jade.pk])
    response = sign_in(dev).get(url, {"person": "abc", "date_to": "2026-13-40"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("audit-trail", args=[jade.pk]) + "?")
