"""The page, the PDF, the CSV and the API show the same numbers.

They all render the figures a run stored after disclosure control; this test
reads each output back as a person or a program would and compares them cell
by cell with the API's answer."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from cse_cases.models import MissingEpisode, Role
from referrals.models import Referral
from reports import services
from reports.models import ReportRun
from reports.period import Period
from tests.conftest import signed_in_client, verified
from tests.factories import AreaFactory, UserFactory, YoungPersonFactory

NOW = datetime(2027, 4, 14, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW)]


class Cells(HTMLParser):
    """The text of every <td> inside each <figure id="table-...">, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[str]] = {}
        self.current: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure" and (attrs.get("id") or "").startswith("table-"):
            self.current = attrs["id"][len("table-") :]
            self.tables[self.current] = []
        elif tag == "td" and self.current:
            self.cell = []
        elif (
            tag == "span"
            and self.cell is not None
            and "govuk-visually-hidden" in (attrs.get("class") or "")
        ):
            self.cell.append("\x00")  # what screen readers hear is not a figure

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            text = "".join(self.cell).split("\x00")[0].strip()
            self.tables[self.current].append(text)
            self.cell = None
        elif tag == "figure":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None and not (self.cell and self.cell[-1] == "\x00"):
            self.cell.append(data)


def expected_cells(table: dict) -> list[str]:
    out = []
    for row in table["rows"]:
        for cell in row["cells"]:
            out.append("*" if cell["suppressed"] else f"{cell['value']:,}")
            if table["percentages"]:
                out.append("" if cell["percent"] is None else str(cell["percent"]))
    return out


@pytest.fixture
def report(kingsmere, kingsmere_social_care, run_tasks, amira):
    hartley = AreaFactory(name="Hartley", code="E06000998")
    commissioner = UserFactory(
        username="commissioner.same",
        role=Role.COMMISSIONER,
        agency=kingsmere_social_care,
        areas=[kingsmere, hartley],
    )
    # Enough activity that some figures are shown, some suppressed.
    received = timezone.make_aware(datetime(2027, 2, 3, 11, 0))
    for n in range(23):
        # 14 girls, 9 boys: 9 is shown (as 10), 14 (as 15); a non-binary
        # young person among them is a count of 1, suppressed.
        gender = "non_binary" if n == 0 else ("female" if n % 3 else "male")
        person = YoungPersonFactory(area=kingsmere if n % 3 else hartley, gender=gender)
        Referral.objects.create(
            area=person.area,
            young_person=person,
            received_at=received + timedelta(days=n),
            clock_started_at=received + timedelta(days=n),
            decision_due_at=received + timedelta(days=n + 1),
            referred_by=amira,
            referrer_name="A referrer",
            referrer_agency_name="Kingsmere Social Care",
        )
        if n % 2:
            MissingEpisode.objects.create(
                young_person=person,
                last_seen_at=received + timedelta(days=n),
                reported_at=received + timedelta(days=n, hours=1),
                missing_from="home",
                recorded_by=amira,
            )
    with run_tasks():
        requested = services.report_request(
            user=verified(commissioner),
            area_ids=[kingsmere.pk, hartley.pk],
            period=Period.quarter(2027, 1),
        )
    run = ReportRun.objects.get(pk=requested.run.pk)
    assert run.status == "done", run.failure
    return commissioner, run


def test_page_pdf_csv_and_api_show_the_same_numbers(report):
    commissioner, run = report
    client = signed_in_client(commissioner)
    api = client.get(f"/api/v1/reports/{run.pk}/").json()
    tables = {t["key"]: t for section in api["sections"] for t in section["tables"]}
    assert tables
    assert any(c["suppressed"] for t in tables.values() for r in t["rows"] for c in r["cells"]), (
        "the data should give at least one suppressed cell"
    )

    # The page.
    parser = Cells()
    parser.feed(client.get(reverse("report-run", args=[run.pk])).content.decode())
    for key, table in tables.items():
        assert parser.tables[key] == expected_cells(table), key

    # The CSV of every table, and one table's own.
    body = b"".join(client.get(reverse("report-csv", args=[run.pk])).streaming_content)
    lines = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    from_csv = {(line["table"], line["row"], line["column"]): line for line in lines}
    for key, table in tables.items():
        for row in table["rows"]:
            for column, cell in zip(table["columns"], row["cells"], strict=True):
                line = from_csv[(key, row["label"], column)]
                assert line["suppressed"] == cell["suppressed"]
                assert line["value"] == ("" if cell["suppressed"] else str(cell["value"]))
    one = next(iter(tables))
    single = b"".join(
        client.get(reverse("report-table-csv", args=[run.pk, one])).streaming_content
    ).decode("utf-8-sig")
    assert {line["table"] for line in csv.DictReader(io.StringIO(single))} == {one}

    # The PDF: each table's figures appear, in order, after its title.
    pdf = pypdf.PdfReader(
        io.BytesIO(b"".join(client.get(reverse("report-pdf", args=[run.pk])).streaming_content))
    )
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pdf.pages))
    for key, table in tables.items():
        start = text.find(table["title"])
        assert start >= 0, table["title"]
        position = start
        for figure in expected_cells(table):
            if not figure:
                continue
            found = text.find(figure, position)
            assert found >= 0, (key, figure)
            position = found + len(figure)
