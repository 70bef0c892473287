"""Persons of concern, places, links and disruption: restricted intelligence stays restricted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from cse_cases import access, services
from cse_cases.models import ContextLink, Disruption
from tests.conftest import verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspect(jo):
    return services.person_of_concern_create(
        by=verified(jo), name="Ricky Vale", phone_numbers=["07700 900123", " "]
    )


@pytest.fixture
def hotel(jo, kingsmere):
    return services.location_create(
        by=verified(jo), name="Station Hotel", kind="hotel", area=kingsmere
    )


def link(by, **ends):
    return services.link_create(
        by=verified(by),
        source="Seen by police",
        source_grading="1",
        information_grading="B",
        **ends,
    )


def test_intelligence_is_restricted_by_default(jade, jades_case, jo, grace, tom, suspect) -> None:
    link(jo, young_person=jade, person=suspect)
    assert suspect.phone_numbers == ["07700 900123"]
    assert access.persons_of_concern_visible_to(verified(jo)).filter(pk=suspect.pk).exists()
    # Grace works with Jade, but police intelligence is not hers to see.
    assert not access.persons_of_concern_visible_to(verified(grace)).exists()
    assert not access.links_visible_to(verified(grace)).exists()
    # Tom (police, another district) sees neither: Kingsmere has not shared them.
    assert not access.persons_of_concern_visible_to(verified(tom)).exists()
    assert not access.links_visible_to(verified(tom)).exists()


def test_an_opened_link_shows_on_the_childs_record(
    jade, jades_case, jo, grace, suspect, sign_in
) -> None:
    suspect.restricted = False
    suspect.save()
    services.link_create(
        by=verified(jo),
        young_person=jade,
        person=suspect,
        source="Strategy meeting",
        source_grading="2",
        information_grading="C",
        restricted=False,
    )
    page = sign_in(grace).get(reverse("young-person", args=[jade.pk])).content.decode()
    assert "Ricky Vale" in page
    assert sign_in(grace).get(reverse("person-of-concern", args=[suspect.pk])).status_code == 200


def test_a_practitioners_link_to_a_place_is_for_the_team(
    jade, jades_case, amira, grace, hotel
) -> None:
    made = services.link_create(
        by=verified(amira),
        young_person=jade,
        location=hotel,
        source="Jade said she stays there",
        source_grading="2",
        information_grading="A",
    )
    assert not made.restricted
    assert access.links_visible_to(verified(grace)).filter(pk=made.pk).exists()


def test_a_restricted_person_stays_hidden_behind_an_open_link(
    jade, jades_case, jo, grace, suspect, sign_in
) -> None:
    # Even if police open the link itself, the person's restriction wins.
    opened = services.link_create(
        by=verified(jo),
        young_person=jade,
        person=suspect,
        source="Seen together",
        source_grading="1",
        information_grading="B",
        restricted=False,
    )
    assert opened.restricted  # a link naming a restricted person is restricted
    ContextLink.objects.filter(pk=opened.pk).update(restricted=False)
    assert not access.links_visible_to(verified(grace)).exists()
    page = sign_in(grace).get(reverse("young-person", args=[jade.pk])).content.decode()
    assert "Ricky Vale" not in page


def test_only_those_working_on_the_record_add_links(jade, jades_case, sam, hotel) -> None:
    # Sam supervises Amira: he sees Jade's record but does not write on it.
    with pytest.raises(PermissionDenied):
        services.link_create(
            by=verified(sam),
            young_person=jade,
            location=hotel,
            source="x",
            source_grading="1",
            information_grading="A",
        )


def test_a_link_needs_exactly_two_ends(jade, jo, suspect, hotel) -> None:
    with pytest.raises(services.RecordError, match="exactly two things"):
        link(jo, young_person=jade, person=suspect, location=hotel)
    with pytest.raises(IntegrityError):
        ContextLink.objects.create(
            kind="yp_person",
            young_person=jade,
            source="x",
            source_grading="1",
            information_grading="A",
            created_by=jo,
        )


def test_seen_dates_are_checked(jade, jo, suspect) -> None:
    today = timezone.localdate()
    with pytest.raises(services.RecordError, match="future"):
        link(jo, young_person=jade, person=suspect, last_seen=today + timedelta(days=1))
    with pytest.raises(services.RecordError, match="on or after first seen"):
        link(
            jo,
            young_person=jade,
            person=suspect,
            first_seen=today,
            last_seen=today - timedelta(days=9),
        )


def test_cannot_link_a_child_one_cannot_see(jade, tom, suspect) -> None:
    with pytest.raises(PermissionDenied):
        link(tom, young_person=jade, person=suspect)


def test_disruption_by_police_and_cse_leads_only(jo, amira, suspect, hotel, sign_in) -> None:
    services.disruption_add(
        by=verified(jo), kind="cawn", started_on=timezone.localdate(), person=suspect
    )
    with pytest.raises(PermissionDenied):
        services.disruption_add(
            by=verified(amira), kind="hotel_check", started_on=timezone.localdate(), location=hotel
        )
    with pytest.raises(services.RecordError, match="one person of concern or one location"):
        services.disruption_add(by=verified(jo), kind="other", started_on=timezone.localdate())
    response = sign_in(jo).post(
        reverse("disruption-add", args=["location", hotel.pk]),
        {
            "kind": "hotel_check",
            "started_on": timezone.localdate().isoformat(),
            "outcome": "Staff briefed",
        },
    )
    assert response["Location"] == reverse("location", args=[hotel.pk])
    assert Disruption.objects.count() == 2
    assert "Staff briefed" in sign_in(jo).get(reverse("location", args=[hotel.pk])).content.decode()


def test_html_in_intelligence_is_shown_as_text(jo, sign_in) -> None:
    person = services.person_of_concern_create(by=verified(jo), name="<img src=x onerror=alert(1)>")
    page = sign_in(jo).get(reverse("person-of-concern", args=[person.pk])).content.decode()
    assert "<img src=x" not in page


@pytest.mark.parametrize("page", ["person-of-concern", "location"])
def test_context_pages_keep_a_constant_query_count(
    page, jade, jades_case, jo, kingsmere, suspect, hotel, sign_in, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CaseFactory, YoungPersonFactory

    def grow() -> None:
        child = YoungPersonFactory(area=kingsmere, created_by=jo)
        CaseFactory(young_person=child, lead_professional=jo)
        link(jo, young_person=child, person=suspect)
        link(jo, young_person=child, location=hotel)
        services.disruption_add(
            by=verified(jo), kind="arrest", started_on=timezone.localdate(), person=suspect
        )
        services.disruption_add(
            by=verified(jo), kind="hotel_check", started_on=timezone.localdate(), location=hotel
        )

    target = suspect if page == "person-of-concern" else hotel
    client = sign_in(jo)
    url = reverse(page, args=[target.pk])
    grow()
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    baseline = len(few)
    for _ in range(10):
        grow()
    with django_assert_max_num_queries(baseline):
        assert client.get(url).status_code == 200
