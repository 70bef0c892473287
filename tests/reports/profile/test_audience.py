"""Who the profile is made for: exact counts for CSE leads and police, and
the partnership board's copy through disclosure control, on the page, the
PDF and the API alike; and the audit row each of them writes."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from cse_cases.models import AuditAction, AuditEvent
from tests.conftest import signed_in_client
from tests.reports.profile.story import PROFILE_MOMENT, at, build, child, link, place

pytestmark = pytest.mark.time_machine(PROFILE_MOMENT)

Q1 = {"period": "quarter", "year": "2027", "quarter": "1"}
PLACES = "profile.places.by_young_people"
HOTEL = "Station Hotel (Hotel or short-stay accommodation)"


@pytest.fixture
def story(kingsmere, afon_valley, amira, jo, tom):
    return build(kingsmere, afon_valley, amira, jo, tom)


def _get(user, name, **query):
    return signed_in_client(user).get(reverse(name), query)


def _hotel(data: dict) -> list[dict]:
    tables = {t["key"]: t for s in data["sections"] for t in s["tables"]}
    return next(r for r in tables[PLACES]["rows"] if r["label"] == HOTEL)["cells"]


def _pdf_text(response) -> str:
    return " ".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)


def test_the_boards_copy_hides_small_counts_everywhere(jo, kingsmere, story):
    query = {"district": str(kingsmere.pk), **Q1}
    exact = _get(jo, "problem-profile-api-list", **query).json()
    board = _get(jo, "problem-profile-api-list", audience="board", **query).json()
    assert exact["shared"] is False
    assert board["shared"] is True
    assert [c["value"] for c in _hotel(exact)] == [3, 2, 0]
    # 3 and 2 young people are small counts: the board sees the mark, never
    # the number; a true zero stays 0.
    hidden = _hotel(board)
    assert [c["value"] for c in hidden] == [None, None, 0]
    assert [c["suppressed"] for c in hidden][:2] == ["small", "small"]

    page = _get(jo, "problem-profile", audience="board", **query)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Counts have passed disclosure control" in body
    assert "a count from 1 to 7 is shown as *" in body
    row = re.search(
        r'id="table-profile\.places\.by_young_people".*?<tr[^>]*>\s*<th[^>]*>\s*'
        + re.escape(HOTEL)
        + r"\s*</th>(.*?)</tr>",
        body,
        re.S,
    )
    assert row is not None
    shown = re.findall(r"<td[^>]*>\s*([^<\s]+)", row.group(1))
    assert shown == ["*" if c["suppressed"] else f"{c['value']:,}" for c in hidden]

    pdf = _get(jo, "problem-profile-pdf", audience="board", **query)
    assert pdf.status_code == 200
    text = _pdf_text(pdf)
    assert "Counts have passed disclosure control" in text
    assert "Station Hotel" in text
    assert story["mia"].legal_first_name not in text
    assert "Counts are exact" in _pdf_text(_get(jo, "problem-profile-pdf", **query))


def test_the_page_offers_both_copies_of_the_pdf(jo, kingsmere, story):
    body = _get(jo, "problem-profile", district=str(kingsmere.pk), **Q1).content.decode()
    assert "Download the PDF for the partnership board" in body
    assert "Download the PDF for CSE leads and police" in body
    assert "audience=board" in body
    assert "audience=internal" in body


def test_an_unknown_audience_is_a_clear_error_and_keeps_the_question(jo, kingsmere, story):
    query = {"district": str(kingsmere.pk), "audience": "<everyone>", **Q1}
    response = _get(jo, "problem-profile", **query)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose who the profile is for" in body
    assert "<everyone>" not in body
    assert 'value="2027" selected' in body or 'value="2027"selected' in body
    response = _get(jo, "problem-profile-api-list", **query)
    assert response.status_code == 400
    assert response.json()["errors"] == {"audience": ["Choose who the profile is for"]}
    assert not AuditEvent.objects.filter(object_type="problem profile").exists()


def test_each_output_is_audited(jo, kingsmere, story):
    query = {"district": str(kingsmere.pk), **Q1}
    _get(jo, "problem-profile", **query)
    _get(jo, "problem-profile-pdf", audience="board", **query)
    _get(jo, "problem-profile-api-list", **query)
    rows = list(
        AuditEvent.objects.filter(object_type="problem profile")
        .order_by("pk")
        .values_list("username", "action", "detail", "young_person_id")
    )
    assert rows == [
        (
            "jo",
            AuditAction.VIEW,
            f"problem profile page: Kingsmere, Jan to Mar 2027 (exact counts); "
            f"districts {kingsmere.pk}",
            None,
        ),
        (
            "jo",
            AuditAction.EXPORT,
            f"problem profile PDF: Kingsmere, Jan to Mar 2027 (disclosure-controlled); "
            f"districts {kingsmere.pk}",
            None,
        ),
        (
            "jo",
            AuditAction.VIEW,
            f"problem profile (API): Kingsmere, Jan to Mar 2027 (exact counts); "
            f"districts {kingsmere.pk}",
            None,
        ),
    ]


def test_nothing_is_audited_for_an_outsider_or_a_question_not_asked(jo, rhian, kingsmere, story):
    assert _get(rhian, "problem-profile", district=str(kingsmere.pk), **Q1).status_code == 404
    assert _get(jo, "problem-profile").status_code == 200
    assert not AuditEvent.objects.filter(object_type="problem profile").exists()


def test_the_boards_copy_asks_the_database_a_fixed_number_of_times(jo, amira, kingsmere, story):
    query = {"district": str(kingsmere.pk), "audience": "board", **Q1}

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert _get(jo, "problem-profile", **query).status_code == 200
        return len(queries)

    before = count()
    for n in range(6):
        someone = child(kingsmere, amira, opened_on=at(2027, 1, 2).date())
        link(jo, young_person=someone, location=place(kingsmere, jo, f"Flat {n}", "house"))
    assert count() == before
