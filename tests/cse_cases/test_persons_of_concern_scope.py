"""Persons of concern across districts (issue 14, item 1).

A person of concern belongs to the districts where they were recorded or are
linked (to a young person, a place, or a meeting that considered them).
Police and CSE leads see restricted persons of their own districts, and those
another district shared with theirs by a recorded decision; anyone else who
asks is told nothing exists (404). A name search that also matches someone in
another district tells police and CSE leads only that a match exists there.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Meeting, MeetingKind, Participant
from cse_cases import access, services
from cse_cases.models import AuditAction, AuditEvent, ContextLink, LinkKind, PersonOfConcern
from tests.assessments.test_meeting_pages import pdf_text
from tests.conftest import signed_in_client, verified
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db


def test_another_districts_cse_lead_gets_404_from_the_api(ricky, rhian, sign_in) -> None:
    response = sign_in(rhian).get(f"/api/v1/persons-of-concern/{ricky.pk}/")
    assert response.status_code == 404
    assert "Ricky" not in response.content.decode()
    assert "Astra" not in response.content.decode()


def status(user, url: str) -> int:
    return signed_in_client(user).get(url).status_code


def page_and_api(person) -> tuple[str, str]:
    return reverse(
        "person-of-concern", args=[person.pk]
    ), f"/api/v1/persons-of-concern/{person.pk}/"


def sees(user, person) -> bool:
    """Through the policy, the page and the API: all three must agree."""
    in_policy = access.persons_of_concern_visible_to(verified(user)).filter(pk=person.pk).exists()
    answers = {status(user, url) for url in page_and_api(person)}
    assert answers in ({200}, {404}), answers
    assert in_policy == (answers == {200})
    return in_policy


def kingsmere_person(jo, kingsmere, name: str = "Dean Harte"):
    """Restricted intelligence recorded in Kingsmere and linked to nothing yet."""
    return services.person_of_concern_create(by=verified(jo), name=name, area=kingsmere)


def share(by, person, area, **extra):
    return services.person_of_concern_share(
        by=verified(by),
        person=person,
        area=area,
        purpose=extra.get("purpose", "He has been seen with Afon Valley children"),
        lawful_basis=extra.get("lawful_basis", "safeguarding"),
    )


def test_restricted_kingsmere_person_is_for_kingsmere_intelligence_only(
    ricky, jo, rhian, tom, amira, grace
) -> None:
    assert sees(jo, ricky)
    assert not sees(rhian, ricky)
    assert not sees(tom, ricky)
    # Jade's team around the child: police intelligence is not theirs.
    assert not sees(amira, ricky)
    assert not sees(grace, ricky)


def test_linked_to_a_young_person_of_another_district(jo, kingsmere, afon_valley, rhian, tom):
    dean = kingsmere_person(jo, kingsmere)
    assert not sees(rhian, dean)
    child = YoungPersonFactory(area=afon_valley, created_by=rhian)
    ContextLink.objects.create(
        kind=LinkKind.YOUNG_PERSON_TO_PERSON,
        young_person=child,
        person=dean,
        source="Seen together",
        source_grading="1",
        information_grading="B",
        created_by=rhian,
    )
    assert sees(rhian, dean)
    assert sees(tom, dean)


def test_a_young_person_who_is_also_a_person_of_concern(jo, kingsmere, afon_valley, rhian):
    dean = kingsmere_person(jo, kingsmere)
    dean.young_person = YoungPersonFactory(area=afon_valley, created_by=rhian)
    dean.save()
    assert sees(rhian, dean)


def test_linked_to_a_place_in_another_district(jo, kingsmere, afon_valley, rhian, tom, amira):
    dean = kingsmere_person(jo, kingsmere)
    flat = services.location_create(
        by=verified(rhian), name="Flat 3, Mill Street", kind="house", area=afon_valley
    )
    ContextLink.objects.create(
        kind=LinkKind.PERSON_TO_LOCATION,
        person=dean,
        location=flat,
        source="Seen entering",
        source_grading="1",
        information_grading="A",
        created_by=rhian,
    )
    assert sees(rhian, dean)
    assert sees(tom, dean)
    assert not sees(amira, dean)
    # The place is open to everyone; the link naming Dean only to those who see him.
    place_page = signed_in_client(amira).get(reverse("location", args=[flat.pk])).content
    assert b"Dean Harte" not in place_page
    assert b"Dean Harte" in signed_in_client(tom).get(reverse("location", args=[flat.pk])).content


def test_linking_a_restricted_person_to_another_districts_place_needs_a_share(
    jo, kingsmere, afon_valley, rhian
):
    """Found in review: a link was a share with no purpose or lawful basis recorded."""
    dean = kingsmere_person(jo, kingsmere)
    park = services.location_create(
        by=verified(rhian), name="Riverside Park", kind="park", area=afon_valley
    )
    link = {
        "by": verified(jo),
        "person": dean,
        "location": park,
        "source": "Seen there by officers",
        "source_grading": "1",
        "information_grading": "B",
    }
    with pytest.raises(services.RecordError, match="record a sharing decision with Afon Valley"):
        services.link_create(**link)
    assert not sees(rhian, dean)
    share(jo, dean, afon_valley)
    services.link_create(**link)
    assert sees(rhian, dean)


def test_considered_by_a_meeting_in_another_district(jo, kingsmere, afon_valley, rhian, tom):
    dean = kingsmere_person(jo, kingsmere)
    panel = Meeting.objects.create(
        kind=MeetingKind.MACE_PANEL,
        area=afon_valley,
        starts_at=timezone.now(),
        online=True,
        chair=rhian,
        created_by=rhian,
        record_due_at=timezone.now() + timedelta(days=1),
    )
    assert not sees(tom, dean)
    panel.persons.add(dean)
    assert sees(rhian, dean)
    assert sees(tom, dean)


def test_recorded_in_a_district(jo, kingsmere, afon_valley, rhian, tom) -> None:
    dean = services.person_of_concern_create(by=verified(jo), name="Dean Harte", area=afon_valley)
    assert sees(rhian, dean)
    assert sees(tom, dean)
    # Recorded for Afon Valley and linked to nothing in Kingsmere.
    assert not sees(jo, dean)


def test_an_older_record_without_a_district_belongs_to_its_recorders(
    jo, tom, rhian, afon_police
) -> None:
    dean = PersonOfConcern.objects.create(
        name="Dean Harte", created_by=tom, created_by_agency=afon_police
    )
    assert dean.area is None
    assert sees(rhian, dean)
    assert not sees(jo, dean)


def test_new_records_always_name_a_district(jo, kingsmere, afon_valley, rhian) -> None:
    # Jo works in one district: it is hers.
    assert kingsmere_person(jo, kingsmere).area == kingsmere
    assert services.person_of_concern_create(by=verified(jo), name="Lee").area == kingsmere
    rhian.areas.add(kingsmere)
    with pytest.raises(services.RecordError, match="Choose the district") as raised:
        services.person_of_concern_create(by=verified(rhian), name="Lee")
    assert raised.value.field == "area"
    response = signed_in_client(rhian).post(
        reverse("person-of-concern-create"), {"name": "Lee", "area": ""}
    )
    assert response.status_code == 200
    assert "Choose the district where this person is of concern" in response.content.decode()
    assert 'value="Lee"' in response.content.decode()
    # The form starts on the recorder's district when they have only one.
    form = signed_in_client(jo).get(reverse("person-of-concern-create")).content.decode()
    assert f'<option value="{kingsmere.pk}" selected>' in form


def test_a_practitioner_records_intelligence_for_police_and_cse_leads(amira, jo, kingsmere):
    response = signed_in_client(amira).post(
        reverse("person-of-concern-create"), {"name": "Kyle", "area": kingsmere.pk}, follow=True
    )
    # Restricted whoever records it, so Amira is told where it went, not shown a 404.
    assert response.redirect_chain[-1][0] == reverse("persons-of-concern")
    assert "Police and CSE leads of the district will see this person" in response.content.decode()
    kyle = PersonOfConcern.objects.get(name="Kyle")
    assert kyle.restricted
    assert not sees(amira, kyle)
    assert sees(jo, kyle)


def test_a_link_never_reveals_a_person_its_reader_may_not_see(
    ricky, jo, jade, jades_case, amira, tom, afon_valley
) -> None:
    # Jade's case is shared with Tom: he sees Jade, but Ricky is Kingsmere's.
    services.case_share(
        by=verified(amira),
        case=jades_case,
        with_user=tom,
        shared=True,
        purpose="Police enquiry",
        lawful_basis="crime",
    )
    assert access.young_people_visible_to(verified(tom)).filter(pk=jade.pk).exists()
    assert not access.links_visible_to(verified(tom)).filter(person=ricky).exists()
    page = signed_in_client(tom).get(reverse("young-person", args=[jade.pk])).content.decode()
    assert "Ricky Vale" not in page
    listed = signed_in_client(tom).get("/api/v1/context-links/").json()["results"]
    assert not [row for row in listed if row["person"] == ricky.pk]
    share(jo, ricky, afon_valley)
    page = signed_in_client(tom).get(reverse("young-person", args=[jade.pk])).content.decode()
    assert "Ricky Vale" in page


def test_a_meeting_shows_only_the_persons_its_reader_may_see(ricky, jo, tom, jade) -> None:
    meeting = Meeting.objects.create(
        kind=MeetingKind.MACE_PANEL,
        area=jade.area,
        starts_at=timezone.now(),
        online=True,
        chair=jo,
        created_by=jo,
        record_due_at=timezone.now() + timedelta(days=1),
    )
    meeting.persons.add(ricky)
    Participant.objects.create(meeting=meeting, user=tom, name="Tom Okafor", agency_name="Police")
    assert (
        "Ricky Vale"
        in signed_in_client(jo).get(reverse("meeting", args=[meeting.pk])).content.decode()
    )
    page = signed_in_client(tom).get(reverse("meeting", args=[meeting.pk]))
    assert page.status_code == 200
    assert "Ricky Vale" not in page.content.decode()
    # Tom's copy of the papers is made for him, the same way.
    pdf_url = reverse("meeting-pdf", args=[meeting.pk, "record"])
    assert "Ricky Vale" in pdf_text(signed_in_client(jo).get(pdf_url))
    assert "Ricky Vale" not in pdf_text(signed_in_client(tom).get(pdf_url))
    assert not access.disruptions_visible_to(verified(tom)).filter(person=ricky).exists()


HINT = "A match exists in another area: contact that area's CSE lead or police intelligence unit"


def cross_area_rows():
    return AuditEvent.objects.filter(
        action=AuditAction.SEARCH, object_type="personofconcern", detail=access.CROSS_AREA_MATCH
    )


def test_a_search_matching_another_districts_person_says_so_and_nothing_more(ricky, rhian) -> None:
    response = signed_in_client(rhian).get(reverse("persons-of-concern"), {"q": "ricky vale"})
    page = response.content.decode()
    assert HINT in page
    assert "Ricky" not in page.replace('value="ricky vale"', "")
    assert "Kingsmere" not in page
    assert str(ricky.pk) not in page.split('id="people"')[1]
    row = cross_area_rows().get()
    assert (row.username, row.object_id, row.young_person_id) == ("rhian", None, None)
    api = signed_in_client(rhian).get("/api/v1/persons-of-concern/", {"q": "Ricky"}).json()
    assert api["match_in_other_area"] is True
    assert api["results"] == []
    assert "Kingsmere" not in str(api)
    assert cross_area_rows().count() == 2


def test_no_hint_without_a_hidden_match_or_for_those_outside_intelligence(
    ricky, jo, amira, grace, rhian
) -> None:
    # Jo sees Ricky herself: nothing is hidden from her.
    response = signed_in_client(jo).get(reverse("persons-of-concern"), {"q": "Ricky"})
    assert "Ricky Vale" in response.content.decode()
    assert HINT not in response.content.decode()
    # A name nobody has.
    assert (
        HINT
        not in signed_in_client(rhian)
        .get(reverse("persons-of-concern"), {"q": "Zebedee"})
        .content.decode()
    )
    # Practitioners learn nothing about intelligence they may not see.
    for person in (amira, grace):
        page = signed_in_client(person).get(reverse("persons-of-concern"), {"q": "Ricky"})
        assert HINT not in page.content.decode()
        api = signed_in_client(person).get("/api/v1/persons-of-concern/", {"q": "Ricky"}).json()
        assert api["match_in_other_area"] is False
    assert not cross_area_rows().exists()


def test_the_list_searches_names_within_what_is_visible(ricky, jo, rhian, afon_valley) -> None:
    share(jo, ricky, afon_valley)
    api = signed_in_client(rhian).get("/api/v1/persons-of-concern/", {"q": "ricky"}).json()
    assert [row["name"] for row in api["results"]] == ["Ricky Vale"]
    assert api["match_in_other_area"] is False
    # A NUL cannot reach PostgreSQL: the framework refuses it (tests/test_api_robustness.py).
    refused = signed_in_client(rhian).get("/api/v1/persons-of-concern/", {"q": "\x00"})
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_character"


def test_the_schema_documents_the_hint_and_the_share_action(jo) -> None:
    schema = signed_in_client(jo).get(reverse("api-schema"), {"format": "json"}).json()
    page = schema["components"]["schemas"]["PaginatedPersonOfConcernList"]
    assert page["properties"]["match_in_other_area"]["type"] == "boolean"
    listing = schema["paths"]["/api/v1/persons-of-concern/"]["get"]
    assert "q" in [p["name"] for p in listing["parameters"]]
    operation = schema["paths"]["/api/v1/persons-of-concern/{id}/share/"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.split("/")[-1].startswith("PersonOfConcernShareIn")
    assert "201" in operation["responses"]


def grow(jo, kingsmere, afon_valley, rhian) -> None:
    """More persons of every kind: linked here and elsewhere, shared, by meeting."""
    n = PersonOfConcern.objects.count()
    here = kingsmere_person(jo, kingsmere, name=f"Here {n}")
    shared = kingsmere_person(jo, kingsmere, name=f"Shared {n}")
    share(jo, shared, afon_valley)
    child = YoungPersonFactory(area=afon_valley, created_by=rhian)
    for person in (here, shared):
        ContextLink.objects.create(
            kind=LinkKind.YOUNG_PERSON_TO_PERSON,
            young_person=child,
            person=person,
            source="Seen together",
            source_grading="1",
            information_grading="B",
            created_by=rhian,
        )
    panel = Meeting.objects.create(
        kind=MeetingKind.MACE_PANEL,
        area=afon_valley,
        starts_at=timezone.now(),
        online=True,
        chair=rhian,
        created_by=rhian,
        record_due_at=timezone.now() + timedelta(days=1),
    )
    panel.persons.add(here)


@pytest.mark.parametrize("reader", ["jo", "rhian"])
@pytest.mark.parametrize(
    "url",
    [
        "/persons-of-concern/",
        "/persons-of-concern/?q=here",
        "/api/v1/persons-of-concern/",
        "/api/v1/persons-of-concern/?q=here",
    ],
)
def test_the_list_runs_a_fixed_number_of_queries(
    url, reader, request, ricky, jo, kingsmere, afon_valley, rhian, django_assert_max_num_queries
) -> None:
    client = signed_in_client(request.getfixturevalue(reader))
    grow(jo, kingsmere, afon_valley, rhian)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        first = client.get(url)
    for _ in range(5):
        grow(jo, kingsmere, afon_valley, rhian)
    with django_assert_max_num_queries(len(few)):
        after = client.get(url)
    assert after.status_code == 200
    assert len(after.content) > len(first.content), "the list did not grow"
