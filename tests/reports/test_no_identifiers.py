"""No name, date of birth, free text or postcode leaves through a report.

Distinctive words are planted in every free-text field the report's data
touches, in both areas; the PDF text, every CSV and the API's answer are then
searched for each of them, and for each young person's date of birth."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from cse_cases.models import (
    Alias,
    CaseNote,
    CaseStatus,
    ClosureCategory,
    MissingEpisode,
    NoteType,
    Role,
)
from referrals.models import Referral
from reports import services
from reports.models import ReportRun
from reports.period import Period
from tests.conftest import signed_in_client, verified
from tests.factories import AreaFactory, CaseFactory, UserFactory, YoungPersonFactory

NOW = datetime(2027, 4, 14, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW)]


def token(n: int, what: str) -> str:
    # Words no label, heading or note of a report could contain by chance.
    return f"Zqx{what}{n}Vorn"


@pytest.fixture
def planted(kingsmere, kingsmere_social_care):
    hartley = AreaFactory(name="Hartley", code="E06000997")
    worker = UserFactory(
        username="worker.planted",
        first_name=token(0, "Workerfirst"),
        last_name=token(0, "Workerlast"),
        agency=kingsmere_social_care,
        areas=[kingsmere, hartley],
    )
    tokens: list[str] = [worker.first_name, worker.last_name]
    births: list[date] = []
    received = timezone.make_aware(datetime(2027, 2, 1, 11, 0))
    for n in range(16):
        words = {
            f: token(n, f)
            for f in (
                "First",
                "Last",
                "Known",
                "Alias",
                "Address",
                "School",
                "Orientation",
                "Disability",
                "Gender",
                "Subject",
                "Referrer",
                "Concern",
                "Words",
                "Found",
                "With",
                "Detail",
                "Closure",
                "Note",
            )
        }
        tokens += words.values()
        birth = date(2011, 1 + n % 12, 3 + n)
        births.append(birth)
        person = YoungPersonFactory(
            area=kingsmere if n % 2 else hartley,
            legal_first_name=words["First"],
            legal_last_name=words["Last"],
            known_as=words["Known"],
            date_of_birth=birth,
            address=words["Address"],
            postcode=f"ZQ{n} 9XV",
            school=words["School"],
            sexual_orientation=words["Orientation"],
            disability_or_send=words["Disability"],
            gender="other",
            gender_description=words["Gender"],
        )
        tokens.append(f"ZQ{n} 9XV")
        Alias.objects.create(young_person=person, name=words["Alias"])
        Referral.objects.create(
            area=person.area,
            young_person=person,
            received_at=received + timedelta(days=n),
            clock_started_at=received + timedelta(days=n),
            decision_due_at=received + timedelta(days=n + 1),
            referred_by=worker,
            referrer_name=words["Referrer"],
            referrer_agency_name=words["Referrer"] + "Agency",
            subject_description=words["Subject"],
            concerns=words["Concern"],
            young_persons_words=words["Words"],
        )
        MissingEpisode.objects.create(
            young_person=person,
            last_seen_at=received + timedelta(days=n),
            reported_at=received + timedelta(days=n, hours=1),
            returned_at=received + timedelta(days=n, hours=9),
            where_found=words["Found"],
            found_with=words["With"],
            exploitation_concern_detail=words["Detail"],
            missing_from="home",
            recorded_by=worker,
        )
        closed = n % 4 == 0
        case = CaseFactory(
            young_person=person,
            lead_professional=worker,
            opened_on=date(2026, 1, 5),
            status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
            closed_on=date(2027, 3, 1) if closed else None,
            closure_reason=words["Closure"] if closed else "",
            closure_category=ClosureCategory.OTHER if closed else ClosureCategory.NOT_RECORDED,
        )
        CaseNote.objects.create(
            young_person=person,
            case=case,
            note_type=NoteType.choices[0][0],
            text=words["Note"],
            author=worker,
            author_agency=worker.agency,
        )
    commissioner = UserFactory(
        username="commissioner.planted",
        first_name="Nia",
        last_name="Okafor",
        role=Role.COMMISSIONER,
        agency=kingsmere_social_care,
        areas=[kingsmere, hartley],
    )
    return commissioner, [kingsmere, hartley], tokens, births


def test_nothing_planted_leaves_through_any_output(planted, run_tasks):
    commissioner, areas, tokens, births = planted
    with run_tasks():
        requested = services.report_request(
            user=verified(commissioner),
            area_ids=[a.pk for a in areas],
            period=Period.quarter(2027, 1),
        )
    run = ReportRun.objects.get(pk=requested.run.pk)
    assert run.status == "done", run.failure
    client = signed_in_client(commissioner)

    outputs: dict[str, str] = {}
    pdf = pypdf.PdfReader(
        io.BytesIO(b"".join(client.get(reverse("report-pdf", args=[run.pk])).streaming_content))
    )
    outputs["pdf"] = " ".join(page.extract_text() for page in pdf.pages)
    for name in ("report-csv", "report-estimates-csv"):
        outputs[name] = b"".join(client.get(reverse(name, args=[run.pk])).streaming_content).decode(
            "utf-8-sig"
        )
    api = client.get(f"/api/v1/reports/{run.pk}/").json()
    outputs["api"] = json.dumps(api)
    for section in api["sections"]:
        for table in section["tables"]:
            key = table["key"]
            outputs[f"csv {key}"] = b"".join(
                client.get(reverse("report-table-csv", args=[run.pk, key])).streaming_content
            ).decode("utf-8-sig")
    outputs["page"] = client.get(reverse("report-run", args=[run.pk])).content.decode()
    outputs["home"] = client.get(reverse("home")).content.decode()

    forms = [t.lower() for t in tokens] + [
        form
        for birth in births
        for form in (birth.isoformat(), f"{birth.day} {birth:%B %Y}".lower(), f"{birth:%d/%m/%Y}")
    ]
    for where, text in outputs.items():
        lowered = text.lower()
        leaked = [form for form in forms if form in lowered]
        assert not leaked, (where, leaked[:5])

    # No shown count is small enough to identify a child.
    for section in api["sections"]:
        for table in section["tables"]:
            for row in table["rows"]:
                for cell in row["cells"]:
                    assert cell["suppressed"] or not 1 <= cell["value"] <= 7, (table["key"], row)
