"""Sharing a person of concern with another district (issue 14, item 1).

A restricted person of concern is for their own district's police and CSE
leads; a recorded decision (purpose and lawful basis) shares them with another
district's police and CSE leads, and no one else. Only intelligence users who
see the person may share them, from the page or the API.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cse_cases import services
from cse_cases.models import AuditAction, AuditEvent, PersonOfConcernShare
from tests.conftest import signed_in_client, verified
from tests.cse_cases.test_persons_of_concern_scope import sees, share

pytestmark = pytest.mark.django_db


def test_sharing_grants_the_districts_police_and_cse_leads_only(
    ricky, jo, rhian, tom, afon_valley, afon_social_worker, glenmuir_lead
) -> None:
    made = share(jo, ricky, afon_valley, purpose="Seen at Afon Valley bus station with a girl")
    assert sees(rhian, ricky)
    assert sees(tom, ricky)
    assert not sees(afon_social_worker, ricky)
    assert not sees(glenmuir_lead, ricky)
    row = AuditEvent.objects.get(action=AuditAction.SHARE, object_type="personofconcern")
    assert (row.username, row.object_id, row.young_person_id) == ("jo", ricky.pk, None)
    assert row.detail == "shared with Afon Valley"
    assert row.reason == "Seen at Afon Valley bus station with a girl"
    page = signed_in_client(rhian).get(reverse("person-of-concern", args=[ricky.pk]))
    decisions = page.content.decode()
    assert "Seen at Afon Valley bus station with a girl" in decisions
    assert "Safeguarding a child at risk" in decisions
    assert "Jo Marsh" in decisions
    assert made.shared_by == jo


def test_the_share_form_records_a_decision(ricky, jo, rhian, afon_valley) -> None:
    client = signed_in_client(jo)
    person_page = client.get(reverse("person-of-concern", args=[ricky.pk])).content.decode()
    url = reverse("person-of-concern-share", args=[ricky.pk])
    assert f'href="{url}"' in person_page
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"area": afon_valley.pk, "purpose": "Cross-border", "lawful_basis": "crime"}
    )
    assert response["Location"] == reverse("person-of-concern", args=[ricky.pk])
    made = PersonOfConcernShare.objects.get()
    assert (made.area, made.lawful_basis, made.purpose) == (afon_valley, "crime", "Cross-border")
    assert sees(rhian, ricky)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"purpose": ""}, "purpose", "Say why you are sharing this person with that district"),
        ({"purpose": "   "}, "purpose", "Say why you are sharing this person with that district"),
        ({"area": "abc"}, "area", "Choose a district from the list"),
        ({"area": "999999"}, "area", "Choose a district from the list"),
        ({"area": "99999999999999999999999"}, "area", "Choose a district from the list"),
        ({"area": ""}, "area", "Choose the district to share this person with"),
        ({"lawful_basis": "because"}, "lawful_basis", "Choose the lawful basis for sharing"),
    ],
)
def test_bad_input_on_the_share_form_is_a_field_error(
    data, field, message, ricky, jo, afon_valley
) -> None:
    typed = {"area": afon_valley.pk, "purpose": "Typed reason", "lawful_basis": "crime", **data}
    response = signed_in_client(jo).post(reverse("person-of-concern-share", args=[ricky.pk]), typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'href="#id_{field}"' in page  # the error summary links to the field
    if data.get("purpose") is None:
        assert "Typed reason" in page  # nothing typed is lost
    assert not PersonOfConcernShare.objects.exists()


def test_sharing_with_a_district_that_already_sees_them_is_refused(
    ricky, jo, kingsmere, afon_valley
) -> None:
    client = signed_in_client(jo)
    url = reverse("person-of-concern-share", args=[ricky.pk])
    data = {"purpose": "Cross-border", "lawful_basis": "crime"}
    page = client.post(url, {**data, "area": kingsmere.pk}).content.decode()
    assert "Police and CSE leads in Kingsmere already see this person" in page
    share(jo, ricky, afon_valley)
    page = client.post(url, {**data, "area": afon_valley.pk}).content.decode()
    assert "Already shared with Afon Valley" in page
    assert PersonOfConcernShare.objects.count() == 1


def test_only_intelligence_users_who_see_the_person_may_share(
    ricky, jo, jade, rhian, tom, amira, grace, afon_valley
) -> None:
    url = reverse("person-of-concern-share", args=[ricky.pk])
    api_url = f"/api/v1/persons-of-concern/{ricky.pk}/share/"
    data = {"area": afon_valley.pk, "purpose": "Cross-border", "lawful_basis": "crime"}
    for outsider in (rhian, tom, amira, grace):
        client = signed_in_client(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
        assert client.post(api_url, data, content_type="application/json").status_code == 404
    # Grace sees an opened person through an opened link, but does not share intelligence.
    opened = services.person_of_concern_create(
        by=verified(jo), name="Open Person", restricted=False
    )
    services.link_create(
        by=verified(jo),
        young_person=jade,
        person=opened,
        source="Strategy meeting",
        source_grading="2",
        information_grading="C",
        restricted=False,
    )
    assert sees(grace, opened)
    share(jo, opened, afon_valley)
    graces_page = signed_in_client(grace).get(reverse("person-of-concern", args=[opened.pk]))
    assert "sharing-decisions" not in graces_page.content.decode()  # police and CSE leads' business
    assert (
        signed_in_client(grace)
        .get(reverse("person-of-concern-share", args=[opened.pk]))
        .status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        share(grace, opened, afon_valley)
    assert list(PersonOfConcernShare.objects.values_list("shared_by__username", flat=True)) == [
        "jo"
    ]


def test_sharing_through_the_api(ricky, jo, rhian, afon_valley) -> None:
    client = signed_in_client(jo)
    url = f"/api/v1/persons-of-concern/{ricky.pk}/share/"
    bad = client.post(
        url, {"area": "abc", "purpose": "", "lawful_basis": "x"}, content_type="application/json"
    )
    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert errors["area"] == ["Give the district's id as a number"]
    assert errors["purpose"] == ["Say why you are sharing this person with that district"]
    assert "lawful_basis" in errors
    unknown = client.post(
        url,
        {"area": 999999, "purpose": "Why", "lawful_basis": "crime"},
        content_type="application/json",
    )
    assert unknown.status_code == 400
    assert "area" in unknown.json()["errors"]
    for area in (10**30, -1, None, [1], {"id": 1}):
        odd = client.post(
            url,
            {"area": area, "purpose": "Why", "lawful_basis": "crime"},
            content_type="application/json",
        )
        assert odd.status_code == 400, (area, odd.content)
        assert "area" in odd.json()["errors"]
    assert (
        client.post(
            "/api/v1/persons-of-concern/abc/share/", {}, content_type="application/json"
        ).status_code
        == 404
    )
    made = client.post(
        url,
        {"area": afon_valley.pk, "purpose": "Cross-border", "lawful_basis": "crime"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["person"], body["area"], body["lawful_basis"]) == (
        ricky.pk,
        afon_valley.pk,
        "crime",
    )
    assert body["shared_by"] == jo.pk
    assert sees(rhian, ricky)
    again = client.post(
        url,
        {"area": afon_valley.pk, "purpose": "Again", "lawful_basis": "crime"},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert again.json()["errors"]["area"][0].startswith("Already shared with Afon Valley")
