"""A commissioner's report in Chromium (issue 18): from the home page to
Reports, a quarter for two areas, the progress panel polled by htmx while a
real Celery worker makes it, the finished page with its tables and charts,
and the PDF and CSV downloaded and read back.

The worker is another process, so time is not frozen: the quarter is the
last complete one before today, and the data is placed inside it. Data is
set up before ``with chromium() as page``: Playwright's event loop forbids
ORM calls inside the block.
"""

from __future__ import annotations

import csv
import re
from datetime import datetime, time, timedelta
from pathlib import Path

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cse_cases.models import MissingEpisode, Role
from referrals.models import Referral
from reports.forms import last_complete_quarter
from reports.models import ReportRun, RunStatus
from reports.period import Period
from tests.browser.test_record_journey import device_key, sign_in
from tests.factories import AreaFactory, UserFactory, YoungPersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def referrals_in(period: Period, kingsmere, hartley, by) -> None:
    """Enough activity that some figures are shown and some suppressed (one
    non-binary young person is a count of 1)."""
    first = timezone.make_aware(datetime.combine(period.start, time(11, 0)))
    for n in range(23):
        gender = "non_binary" if n == 0 else ("female" if n % 3 else "male")
        person = YoungPersonFactory(area=kingsmere if n % 3 else hartley, gender=gender)
        received = first + timedelta(days=n)
        Referral.objects.create(
            area=person.area,
            young_person=person,
            received_at=received,
            clock_started_at=received,
            decision_due_at=received + timedelta(days=1),
            referred_by=by,
            referrer_name="A referrer",
            referrer_agency_name="Kingsmere Social Care",
        )
        if n % 2:
            MissingEpisode.objects.create(
                young_person=person,
                last_seen_at=received,
                reported_at=received + timedelta(hours=1),
                missing_from="home",
                recorded_by=by,
            )


def test_a_commissioner_makes_a_quarterly_report_for_two_areas_and_downloads_it(
    live_server, chromium, celery_worker_process, kingsmere, kingsmere_social_care, amira, tmp_path
) -> None:
    hartley = AreaFactory(name="Hartley", code="E06000997")
    commissioner = UserFactory(
        username="nia",
        first_name="Nia",
        last_name="Okafor",
        role=Role.COMMISSIONER,
        agency=kingsmere_social_care,
        areas=[kingsmere, hartley],
    )
    period = Period.quarter(*last_complete_quarter(timezone.localdate()))
    referrals_in(period, kingsmere, hartley, amira)
    key = device_key(commissioner)

    with chromium() as page:
        sign_in(page, live_server.url, "nia", key)
        page.get_by_role("link", name="Make a report").click()
        expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
        page.get_by_label("Kingsmere").check()
        page.get_by_label("Hartley").check()
        # The last complete quarter is chosen already.
        expect(page.get_by_label("Quarter", exact=True).first).to_be_checked()
        # The progress panel's polls, counted from before the page exists.
        polls: list[str] = []
        page.on("request", lambda r: polls.append(r.url) if "/status/" in r.url else None)
        page.get_by_role("button", name="Make the report").click()

        expect(page.get_by_role("heading", name=f"Report: {period.label}")).to_be_visible()
        panel = page.locator("#report-status")
        expect(panel).to_contain_text(re.compile("Queued|Being made"))
        expect(panel).to_have_attribute("hx-trigger", "every 2s")
        download_pdf = page.get_by_role("link", name="Download the PDF")
        expect(download_pdf).to_be_visible(timeout=120_000)
        # The panel was polled until the report was ready (a flag set on the
        # page could race with that reload; the requests cannot).
        assert polls, "the progress panel was never polled"

        expect(page.get_by_role("navigation", name="Contents")).to_be_visible()
        expect(page.locator("main figure table").first).to_be_visible()
        assert page.locator("main svg").count() > 0
        expect(page.locator("main")).to_contain_text("Hartley, Kingsmere")

        with page.expect_download() as pdf_download:
            download_pdf.click()
        pdf_path = tmp_path / "report.pdf"
        pdf_download.value.save_as(pdf_path)
        with page.expect_download() as csv_download:
            page.get_by_role("link", name="Download every table (CSV)").click()
        csv_path = tmp_path / "tables.csv"
        csv_download.value.save_as(csv_path)

    run = ReportRun.objects.get()
    assert run.status == RunStatus.DONE
    pages = pypdf.PdfReader(pdf_path).pages
    text = "\n".join(p.extract_text() for p in pages)
    assert "OFFICIAL" in text
    assert period.label in text
    assert "Kingsmere" in text
    assert "Hartley" in text
    assert f"Page 1 of {len(pages)}" in text
    assert f"Page {len(pages)} of {len(pages)}" in text

    lines = list(csv.DictReader(Path(csv_path).read_text("utf-8-sig").splitlines()))
    assert list(lines[0]) == [
        "section",
        "table",
        "row",
        "column",
        "value",
        "suppressed",
        "percent",
        "unit",
    ]
    hidden = [line for line in lines if line["suppressed"]]
    assert hidden, "the data should give at least one suppressed cell"
    assert all(line["value"] == "" for line in hidden)
