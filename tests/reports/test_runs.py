"""Asking for a report, making it in the background, and who may open it."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pypdf
import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from cse_cases.models import AuditEvent, Role
from reports import services
from reports.models import ReportRun, RunStatus
from reports.period import Period
from tests.conftest import signed_in_client, verified
from tests.factories import AreaFactory, UserFactory

NOW = datetime(2027, 4, 14, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW)]


@pytest.fixture
def areas(kingsmere):
    return kingsmere, AreaFactory(name="Hartley", code="E06000999")


@pytest.fixture
def commissioner(areas, kingsmere_social_care):
    return UserFactory(
        username="commissioner.q",
        first_name="Nia",
        last_name="Okafor",
        role=Role.COMMISSIONER,
        agency=kingsmere_social_care,
        areas=list(areas),
    )


def quarter_form(areas, **extra) -> dict:
    data = {
        "areas": [str(a.pk) for a in areas],
        "period": "quarter",
        "year": "2027",
        "quarter": "1",
    }
    data.update(extra)
    return data


def test_asking_twice_while_it_runs_gives_the_running_one(commissioner, areas):
    client = signed_in_client(commissioner)
    first = client.post(reverse("reports"), quarter_form(areas))
    second = client.post(reverse("reports"), quarter_form(areas), follow=True)
    run = ReportRun.objects.get()
    assert first.status_code == 302
    assert first["Location"] == reverse("report-run", args=[run.pk])
    assert "already being made" in second.content.decode()
    assert run.status == RunStatus.QUEUED
    assert run.area_ids == sorted(a.pk for a in areas)
    assert (run.period_start, run.period_end) == (date(2027, 1, 1), date(2027, 3, 31))
    assert AuditEvent.objects.filter(object_type="report", object_id=run.pk).count() == 1


def test_while_no_worker_runs_the_page_says_it_is_queued(commissioner, areas):
    client = signed_in_client(commissioner)
    client.post(reverse("reports"), quarter_form(areas))
    run = ReportRun.objects.get()
    page = client.get(reverse("report-run", args=[run.pk])).content.decode()
    assert "Queued" in page
    assert "Nothing is lost" in page
    assert 'hx-trigger="every 2s"' in page


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {
                "period": "dates",
                "start_day": "10",
                "start_month": "3",
                "start_year": "2027",
                "end_day": "1",
                "end_month": "3",
                "end_year": "2027",
            },
            "must end on or after",
        ),
        ({"year": "2027", "quarter": "3"}, "starts in the future"),
        ({"year": "2027", "quarter": "2"}, "ends in the future"),
        (
            {
                "period": "dates",
                "start_day": "1",
                "start_month": "1",
                "start_year": "2020",
                "end_day": "31",
                "end_month": "3",
                "end_year": "2027",
            },
            "at most 5 years",
        ),
        (
            {
                "period": "dates",
                "start_day": "31",
                "start_month": "2",
                "start_year": "2027",
                "end_day": "1",
                "end_month": "3",
                "end_year": "2027",
            },
            "real date",
        ),
        ({"period": "month", "month": ""}, "Choose a month"),
        ({"period": "bogus"}, "Choose one of the answers given"),
    ],
)
def test_a_bad_period_is_a_clear_error_and_keeps_what_was_typed(
    commissioner, areas, extra, message
):
    client = signed_in_client(commissioner)
    response = client.post(reverse("reports"), quarter_form(areas, **extra))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "govuk-error-summary" in page
    # The areas stay ticked.
    assert page.count("checked") >= len(areas)
    assert not ReportRun.objects.exists()


@pytest.mark.parametrize("value", ["999999", "abc", "1e3", "-1", "99999999999999999999999"])
def test_an_area_that_is_not_theirs_is_not_found(commissioner, areas, afon_valley, value):
    client = signed_in_client(commissioner)
    for posted in ([str(afon_valley.pk)], [str(areas[0].pk), value]):
        response = client.post(reverse("reports"), {**quarter_form(areas), "areas": posted})
        assert response.status_code == 404
    assert not ReportRun.objects.exists()


def test_only_commissioners_have_reports(amira, sam, sign_in):
    for user in (amira, sam):
        assert sign_in(user).get(reverse("reports")).status_code == 404


def make_report(commissioner, areas, run_tasks) -> ReportRun:
    with run_tasks():
        requested = services.report_request(
            user=verified(commissioner),
            area_ids=[a.pk for a in areas],
            period=Period.quarter(2027, 1),
        )
    run = ReportRun.objects.get(pk=requested.run.pk)
    assert run.status == RunStatus.DONE, (run.status, run.failure)
    return run


def test_a_finished_report_is_emailed_as_a_link_without_figures(commissioner, areas, run_tasks):
    run = make_report(commissioner, areas, run_tasks)
    assert run.progress == 100
    assert run.pdf.name
    assert run.result
    assert run.expires_at - run.finished_at == timedelta(days=30)
    (email,) = mail.outbox
    assert email.to == [commissioner.email]
    assert reverse("report-run", args=[run.pk]) in email.body
    link = next(line for line in email.body.splitlines() if "/reports/" in line)
    words = email.body.replace(link, "").replace("30 days", "")
    assert not any(ch.isdigit() for ch in words), words


def test_the_page_pdf_csv_and_api_are_the_requesters_alone(
    commissioner, areas, run_tasks, priya, kingsmere_social_care
):
    run = make_report(commissioner, areas, run_tasks)
    colleague = UserFactory(
        username="commissioner.other",
        role=Role.COMMISSIONER,
        agency=kingsmere_social_care,
        areas=list(areas),
    )
    urls = [
        reverse("report-run", args=[run.pk]),
        reverse("report-status", args=[run.pk]),
        reverse("report-pdf", args=[run.pk]),
        reverse("report-csv", args=[run.pk]),
        f"/api/v1/reports/{run.pk}/",
    ]
    owner = signed_in_client(commissioner)
    other = signed_in_client(colleague)
    for url in urls:
        assert owner.get(url).status_code == 200, url
        assert other.get(url).status_code == 404, url
    assert other.post(reverse("report-again", args=[run.pk])).status_code == 404


def test_downloads_are_audited_and_the_pdf_is_marked(commissioner, areas, run_tasks):
    run = make_report(commissioner, areas, run_tasks)
    client = signed_in_client(commissioner)
    response = client.get(reverse("report-pdf", args=[run.pk]))
    pdf = pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "OFFICIAL" in text
    assert "Contents" in text
    assert "How the figures are made" in text
    assert "Kingsmere" in text
    assert "Hartley" in text
    assert "Page 2 of" in text
    client.get(reverse("report-csv", args=[run.pk]))
    details = list(
        AuditEvent.objects.filter(object_type="report", object_id=run.pk).values_list(
            "detail", flat=True
        )
    )
    assert any("PDF" in d for d in details)
    assert any("CSV" in d for d in details)


def test_after_30_days_the_files_go_and_the_page_offers_to_run_it_again(
    commissioner, areas, run_tasks
):
    run = make_report(commissioner, areas, run_tasks)
    path = run.pdf.path
    with time_machine.travel(NOW + timedelta(days=31)):
        assert services.report_expire() == 1
        run.refresh_from_db()
        assert run.status == RunStatus.EXPIRED
        assert run.result is None
        assert not run.pdf
        import os

        assert not os.path.exists(path)
        client = signed_in_client(commissioner)
        response = client.get(reverse("report-pdf", args=[run.pk]))
        assert response.status_code == 410
        assert "Make this report again" in response.content.decode()
        again = client.post(reverse("report-again", args=[run.pk]))
        new = ReportRun.objects.exclude(pk=run.pk).get()
        assert again["Location"] == reverse("report-run", args=[new.pk])
        assert new.status == RunStatus.QUEUED


def test_a_queued_run_is_sent_again_and_made_once(commissioner, areas, run_tasks):
    requested = services.report_request(
        user=verified(commissioner), area_ids=[areas[0].pk], period=Period.month(2027, 3)
    )
    with time_machine.travel(NOW + timedelta(minutes=11)), run_tasks():
        assert services.report_requeue_stale() == 1
    run = ReportRun.objects.get(pk=requested.run.pk)
    assert run.status == RunStatus.DONE
    # A second copy of the task (it was queued twice) does nothing.
    assert services.report_compute(run_id=run.pk) is False


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        # One day, or dates that are not whole months: overlapping periods
        # could be compared to reveal one young person.
        (
            {"period_kind": "dates", "period_start": "2027-03-21", "period_end": "2027-03-21"},
            "period_start",
            "first day of a month",
        ),
        (
            {"period_kind": "dates", "period_start": "2027-03-01", "period_end": "2027-03-21"},
            "period_end",
            "last day of a month",
        ),
        # 29 February plus five years is not a date: still a clear answer.
        (
            {"period_kind": "dates", "period_start": "2024-02-29", "period_end": "2024-03-31"},
            "period_start",
            "first day of a month",
        ),
        (
            {"period_kind": "dates", "period_start": "0001-01-01", "period_end": "0001-01-31"},
            "period_start",
            "no records before 2020",
        ),
        (
            {"period_kind": "month", "period_start": "2027-03-01", "period_end": "2027-03-30"},
            "period_end",
            "runs from its first day to its last",
        ),
        (
            {"period_kind": "year", "period_start": "2026-01-01", "period_end": "2027-12-31"},
            "period_end",
            "runs from its first day to its last",
        ),
    ],
)
def test_the_api_refuses_periods_that_could_isolate_a_child(
    commissioner, areas, body, field, message
):
    client = signed_in_client(commissioner)
    response = client.post(
        "/api/v1/reports/",
        {"area_ids": [areas[0].pk], **body},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()["errors"][field])
    assert not ReportRun.objects.exists()


def test_whole_months_as_dates_are_accepted(commissioner, areas):
    client = signed_in_client(commissioner)
    response = client.post(
        "/api/v1/reports/",
        {
            "area_ids": [areas[0].pk],
            "period_kind": "dates",
            "period_start": "2024-02-01",
            "period_end": "2024-02-29",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "queued"


def test_one_person_may_have_five_reports_in_progress(commissioner, areas):
    client = signed_in_client(commissioner)
    for month in range(1, 6):
        requested = services.report_request(
            user=verified(commissioner), area_ids=[areas[0].pk], period=Period.month(2026, month)
        )
        assert requested.created
    response = client.post(reverse("reports"), quarter_form(areas))
    assert "already have 5 reports being made" in response.content.decode()
    api = client.post(
        "/api/v1/reports/",
        {
            "area_ids": [areas[0].pk],
            "period_kind": "month",
            "period_start": "2026-07-01",
            "period_end": "2026-07-31",
        },
        content_type="application/json",
    )
    assert api.status_code == 429
    assert ReportRun.objects.count() == 5


def test_an_expired_report_is_expired_when_read_even_before_the_beat(
    commissioner, areas, run_tasks
):
    run = make_report(commissioner, areas, run_tasks)
    with time_machine.travel(NOW + timedelta(days=30, minutes=1)):
        client = signed_in_client(commissioner)
        assert client.get(reverse("report-csv", args=[run.pk])).status_code == 410
        assert client.get(f"/api/v1/reports/{run.pk}/").json()["sections"] is None
    run.refresh_from_db()
    assert run.status == RunStatus.EXPIRED
    assert not run.pdf


def test_a_pdf_removed_by_the_expiry_task_mid_request_is_a_clear_page_not_an_error(
    commissioner, areas, run_tasks
):
    # The expiry task deletes the file a moment before it marks the run: a
    # download in that moment finds the run ready and the file gone.
    run = make_report(commissioner, areas, run_tasks)
    run.pdf.storage.delete(run.pdf.name)
    response = signed_in_client(commissioner).get(reverse("report-pdf", args=[run.pk]))
    assert response.status_code == 410
    assert b"%PDF" not in response.content
