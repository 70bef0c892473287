"""The profile page and API: who reads them, what bad input gets, and that
they ask the database the same number of times however much there is."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from cse_cases.models import ContextLink, MissingEpisode, PersonOfConcern, ReturnInterview
from tests.conftest import signed_in_client
from tests.factories import UserFactory
from tests.reports.profile.story import PROFILE_MOMENT, at, build, child, link, place, spell

pytestmark = pytest.mark.time_machine(PROFILE_MOMENT)

Q1 = {"period": "quarter", "year": "2027", "quarter": "1"}


@pytest.fixture
def story(kingsmere, afon_valley, amira, jo, tom):
    return build(kingsmere, afon_valley, amira, jo, tom)


def page(user, **query):
    return signed_in_client(user).get(reverse("problem-profile"), query)


def api(user, **query):
    return signed_in_client(user).get(reverse("problem-profile-api-list"), query)


def test_the_cse_lead_reads_her_districts_profile(jo, kingsmere, story):
    response = page(jo, district=str(kingsmere.pk), **Q1)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Problem profile: Kingsmere, Jan to Mar 2027" in body
    assert "Station Hotel (Hotel or short-stay accommodation)" in body
    assert "Counts are exact." in body
    # Places are named; children never are.
    for young_person in (story["mia"], story["noah"], story["ava"]):
        assert young_person.legal_first_name not in body


def test_the_api_gives_the_same_figures(jo, kingsmere, story):
    response = api(jo, district=str(kingsmere.pk), **Q1)
    assert response.status_code == 200
    data = response.json()
    assert data["district_ids"] == [kingsmere.pk]
    assert data["shared"] is False
    tables = {t["key"]: t for s in data["sections"] for t in s["tables"]}
    top = tables["profile.places.by_young_people"]["rows"][0]
    assert top["label"] == "Station Hotel (Hotel or short-stay accommodation)"
    assert [cell["value"] for cell in top["cells"]] == [3, 2, 0]
    assert {s["key"] for s in data["sections"]} == {
        "scale",
        "victims",
        "persons",
        "places",
        "groups",
        "unknown",
    }


def test_a_police_officer_of_the_district_reads_it(kingsmere, story):
    officer = story["officer"]
    assert page(officer, district=str(kingsmere.pk), **Q1).status_code == 200


def test_outsiders_get_404(kingsmere, story, rhian, tom, amira, priya, dev, alex):
    # Another district's CSE lead and police; a social worker of the
    # district; a commissioner; information governance; an administrator.
    for outsider in (rhian, tom, amira, priya, dev, alex):
        assert page(outsider, district=str(kingsmere.pk), **Q1).status_code == 404, outsider
        assert api(outsider, district=str(kingsmere.pk), **Q1).status_code == 404, outsider


def test_an_unknown_district_is_not_found(jo):
    assert page(jo, district="999999", **Q1).status_code == 404
    assert page(jo, district="abc", **Q1).status_code == 404
    assert api(jo, district="999999", **Q1).status_code == 404


def test_a_period_in_the_future_is_a_clear_error(jo, kingsmere):
    query = {"district": str(kingsmere.pk), "period": "quarter", "year": "2027", "quarter": "3"}
    response = page(jo, **query)
    assert response.status_code == 400
    assert "Jul to Sep 2027 has not started yet" in response.content.decode()
    response = api(jo, **query)
    assert response.status_code == 400
    assert "has not started yet" in str(response.json())


def test_the_running_quarter_is_drawn_as_it_stands(jo, kingsmere, story):
    query = {"district": str(kingsmere.pk), "period": "quarter", "year": "2027", "quarter": "2"}
    assert page(jo, **query).status_code == 200


def test_all_districts_for_someone_with_several(kingsmere, afon_valley, story):
    lead = UserFactory(role="cse_lead", areas=[kingsmere, afon_valley])
    data = api(lead, district="all", **Q1).json()
    assert sorted(data["district_ids"]) == sorted([kingsmere.pk, afon_valley.pk])
    tables = {t["key"]: t for s in data["sections"] for t in s["tables"]}
    persons = {
        r["label"]: r["cells"][0]["value"] for r in tables["profile.persons.figures"]["rows"]
    }
    # Ricky, Dean, Carl and Evan; none is in a district outside these two.
    assert persons["Persons of concern in the district"] == 4
    assert persons["of which: also appear in another district"] == 0
    # A CSE lead of one district has no "all".
    assert (
        page(UserFactory(role="cse_lead", areas=[kingsmere]), district="all", **Q1).status_code
        == 404
    )


def _queries(user, area) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as on_page:
        assert page(user, district=str(area.pk), **Q1).status_code == 200
    with CaptureQueriesContext(connection) as on_api:
        assert api(user, district=str(area.pk), **Q1).status_code == 200
    return len(on_page), len(on_api)


def test_query_count_does_not_grow_with_the_data(jo, amira, kingsmere, story):
    before = _queries(jo, kingsmere)
    for n in range(12):
        someone = child(kingsmere, amira, opened_on=at(2027, 1, 2).date(), gender="male")
        spell(someone, amira, at(2027, 2, 1 + n), where_found="Near the Station Hotel")
        link(jo, young_person=someone, location=place(kingsmere, jo, f"Flat {n}", "house"))
    assert _queries(jo, kingsmere) == before


def test_the_pdf_for_the_partnership_board(jo, kingsmere, story):
    response = signed_in_client(jo).get(
        reverse("problem-profile-pdf"), {"district": str(kingsmere.pk), **Q1}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Local problem profile" in text
    assert "Station Hotel" in text
    assert story["mia"].legal_first_name not in text


def test_the_pdf_of_a_period_not_begun_is_the_page_with_its_error(jo, kingsmere):
    query = {"district": str(kingsmere.pk), "period": "year", "year": "2027"}
    assert signed_in_client(jo).get(reverse("problem-profile-pdf"), query).status_code == 200
    query["period"], query["month"] = "month", "5"
    response = signed_in_client(jo).get(reverse("problem-profile-pdf"), query)
    assert response.status_code == 400
    assert "May 2027 has not started yet" in response.content.decode()


def test_no_child_person_of_concern_or_free_text_leaves_through_the_profile(jo, kingsmere, story):
    secret = "Quillfeather"
    MissingEpisode.objects.update(where_found=f"Station Hotel, said {secret}one")
    ReturnInterview.objects.update(where_and_with_whom=f"Chicken Palace with {secret}two")
    ContextLink.objects.update(source=f"{secret}three")
    PersonOfConcern.objects.update(description=f"{secret}four")
    query = {"district": str(kingsmere.pk), **Q1}
    client = signed_in_client(jo)
    page_text = client.get(reverse("problem-profile"), query).content.decode()
    api_text = client.get(reverse("problem-profile-api-list"), query).content.decode()
    pdf = client.get(reverse("problem-profile-pdf"), query).content
    pdf_text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    children = [story[name].legal_first_name for name in ("mia", "noah", "ava")]
    persons = list(PersonOfConcern.objects.values_list("name", flat=True))
    for text in (page_text, api_text, pdf_text):
        assert "Station Hotel" in text
        # The Groups section is there, naming its places and none of its people
        # (the PDF's text wraps inside a table cell).
        assert "Group 1 (Chicken Palace, SnapTalk, Station Hotel)" in " ".join(text.split())
        for word in (secret, *children, *persons):
            assert word not in text
