"""The persons held in a district, two ways: _held_in tests one person at a
time (the policy's own rule), _held_in_ids builds the district's set at once
(the network map reads it so its cost follows the district, not Harbour).
They must keep the same persons, for every way a person belongs."""

from __future__ import annotations

import pytest

from cse_cases.access.contexts import _held_in, _held_in_ids
from cse_cases.models import ContextLink, LinkKind, Location, PersonOfConcern
from tests.cse_cases.test_persons_of_concern_scope import grow
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db


def both_ways(area_ids) -> tuple[set[int], set[int]]:
    one_at_a_time = set(
        PersonOfConcern.objects.filter(_held_in(area_ids)).values_list("pk", flat=True)
    )
    # As the map reads it: the UNION's rows as they come (values_list on a
    # UNION would rename each branch's column, not read it).
    at_once = {row["pk"] for row in _held_in_ids(area_ids)}
    return one_at_a_time, at_once


def test_held_in_ids_keeps_the_persons_held_in_keeps(
    ricky, jo, tom, rhian, kingsmere, afon_valley, afon_police
) -> None:
    # Linked to a child, shared, considered by a meeting (grow), recorded
    # without a district, a child who is also a person of concern, and a
    # person joined only to a place.
    grow(jo, kingsmere, afon_valley, rhian)
    PersonOfConcern.objects.create(name="Older", created_by=tom, created_by_agency=afon_police)
    child = YoungPersonFactory(area=afon_valley, created_by=rhian)
    PersonOfConcern.objects.create(
        name="Also a child", young_person=child, created_by=tom, created_by_agency=afon_police
    )
    place = Location.objects.create(
        name="Bus station", kind="transport", area=afon_valley, created_by=rhian
    )
    at_place = PersonOfConcern.objects.create(
        name="At the place", area=kingsmere, created_by=jo, created_by_agency=jo.agency
    )
    ContextLink.objects.create(
        kind=LinkKind.PERSON_TO_LOCATION,
        person=at_place,
        location=place,
        source="Seen there",
        source_grading="1",
        information_grading="B",
        created_by=rhian,
    )
    for area_ids in ([kingsmere.pk], [afon_valley.pk], [kingsmere.pk, afon_valley.pk]):
        one_at_a_time, at_once = both_ways(area_ids)
        assert one_at_a_time == at_once
        assert one_at_a_time
    # Outside a request the districts come as a subquery of the reader's.
    assert both_ways(rhian.areas.all())[0] == both_ways(rhian.areas.all())[1]
    assert at_place.pk in both_ways([afon_valley.pk])[1]
    assert both_ways([])[1] == set()
