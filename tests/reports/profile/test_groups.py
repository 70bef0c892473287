"""The profile's Groups on a known graph: the hand-built Kingsmere of
tests/reports/profile/story.py, and a few links added in the period.

Kingsmere's graph as the story builds it (every link recorded on 1 December
2026, before the period):
- Mia, Noah and Ava with the Station Hotel; Mia and Noah with Chicken
  Palace (a licensing check under way); Ava with SnapTalk; Ricky with Mia
  and Noah; Dean (a warning notice under way) with Ava; Carl (an order that
  ended) with Mia: one group of 9 (3 young people, 3 persons, 3 places, 2
  of them with disruption under way);
- Lily with Quiet Park: a group of 2.
Zed's links (an Afon Valley child) are not Kingsmere's: Dean's link to him
and Evan are left out. In Afon Valley, Zed, Afon Lodge, Dean and Evan make
one group of 4 (Carl's only link is to Mia, a Kingsmere child).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cse_cases.models import ContextLink
from reports.profile.measures import groups, places
from tests.factories import YoungPersonFactory
from tests.reports.measures.helpers import counts
from tests.reports.profile.story import PROFILE_MOMENT, at, build, context, place

pytestmark = pytest.mark.time_machine(PROFILE_MOMENT)

BIG = "Group 1 (Chicken Palace, SnapTalk, Station Hotel)"


@pytest.fixture
def story(kingsmere, afon_valley, amira, jo, tom):
    return build(kingsmere, afon_valley, amira, jo, tom)


def link_at(by, recorded, first_seen=None, **ends) -> ContextLink:
    kind = {
        frozenset({"young_person", "location"}): "yp_location",
        frozenset({"young_person", "person"}): "yp_person",
        frozenset({"young_person", "other_young_person"}): "yp_yp",
    }[frozenset(ends)]
    return ContextLink.objects.create(
        kind=kind,
        source="Seen together",
        source_grading="1",
        information_grading="B",
        created_by=by,
        created_at=recorded,
        first_seen=first_seen,
        **ends,
    )


def test_the_districts_groups_by_size(kingsmere, story):
    section = groups.section(context(kingsmere))
    assert counts(section, "profile.groups.sizes") == {
        "2 nodes": (1, 1),
        "3 to 5 nodes": (0, 0),
        "6 to 10 nodes": (1, 3),
        "Over 10 nodes": (0, 0),
    }
    assert counts(section, "profile.groups.largest") == {
        BIG: (9, 3, 3, 3, 2),
        "Group 2 (Quiet Park)": (2, 1, 0, 1, 0),
    }
    # Everything was recorded in December 2026: nothing is new.
    assert counts(section, "profile.groups.new") == {
        "New in the period": (0, 0),
        "Known before the period": (2, 4),
    }


def test_another_districts_groups_are_its_own(afon_valley, story):
    section = groups.section(context(afon_valley))
    assert counts(section, "profile.groups.largest") == {
        "Group 1 (Afon Lodge)": (4, 1, 2, 1, 1),
    }


def test_groups_new_in_the_period(kingsmere, story, jo):
    rosa, tess, sam, kai = (
        YoungPersonFactory(legal_first_name=name, area=kingsmere)
        for name in ("Rosa", "Tess", "Sam", "Kai")
    )
    steps = place(kingsmere, jo, "Canal Steps", "other")
    depot = place(kingsmere, jo, "Bus Depot", "other")
    # Rosa, Tess and the Canal Steps: recorded and first seen in the period.
    link_at(jo, at(2027, 2, 10), young_person=rosa, location=steps)
    link_at(jo, at(2027, 2, 12), date(2027, 2, 1), young_person=rosa, other_young_person=tess)
    # Recorded in the period, but first seen in 2026: not new.
    link_at(jo, at(2027, 3, 1), date(2026, 6, 1), young_person=sam, location=depot)
    # Kai joins the old group in the period: it stays known before.
    link_at(jo, at(2027, 3, 2), young_person=kai, location=story["hotel"])
    # Recorded after the last day counted at (31 March): not in the graph,
    # or it would join Rosa's group to Sam's.
    link_at(jo, at(2027, 4, 5), young_person=sam, other_young_person=rosa)

    section = groups.section(context(kingsmere))
    assert counts(section, "profile.groups.sizes") == {
        "2 nodes": (2, 2),
        "3 to 5 nodes": (1, 2),
        "6 to 10 nodes": (1, 4),
        "Over 10 nodes": (0, 0),
    }
    assert list(counts(section, "profile.groups.largest").items()) == [
        (BIG, (10, 4, 3, 3, 2)),
        ("Group 2 (Canal Steps)", (3, 2, 0, 1, 0)),
        ("Group 3 (Bus Depot)", (2, 1, 0, 1, 0)),
        ("Group 4 (Quiet Park)", (2, 1, 0, 1, 0)),
    ]
    assert counts(section, "profile.groups.new") == {
        "New in the period": (1, 2),
        "Known before the period": (3, 6),
    }


def test_a_group_names_at_most_three_places_and_no_child(kingsmere, story, jo):
    for n in range(2):
        link_at(
            jo,
            at(2027, 1, 5),
            young_person=story["mia"],
            location=place(kingsmere, jo, f"Park {n}", "park"),
        )
    section = groups.section(context(kingsmere))
    labels = list(counts(section, "profile.groups.largest"))
    assert labels[0] == "Group 1 (Chicken Palace, Park 0, Park 1 and 2 more)"
    for name in ("Mia", "Noah", "Ava", "Ricky", "Dean", "Carl"):
        assert all(name not in label for label in labels)


def test_a_link_from_a_child_to_herself_makes_no_group(kingsmere, story, jo):
    alone = YoungPersonFactory(area=kingsmere)
    link_at(jo, at(2027, 1, 5), young_person=alone, other_young_person=alone)
    section = groups.section(context(kingsmere))
    assert counts(section, "profile.groups.sizes")["2 nodes"] == (1, 1)
    assert len(counts(section, "profile.groups.largest")) == 2


def _statements(area) -> int:
    with CaptureQueriesContext(connection) as queries:
        groups.section(context(area))
    return len(queries)


def test_statements_do_not_grow_with_the_graph(kingsmere, story, jo):
    before = _statements(kingsmere)
    for n in range(15):
        child = YoungPersonFactory(area=kingsmere)
        link_at(
            jo,
            at(2027, 1, 3),
            young_person=child,
            location=place(kingsmere, jo, f"Flat {n}", "house"),
        )
        link_at(jo, at(2027, 1, 3), young_person=child, location=story["hotel"])
    assert _statements(kingsmere) == before == 2


def test_a_house_or_a_vehicle_is_never_named_in_the_profile(kingsmere, story, jo):
    """Review finding: a house linked to one child is as good as her address."""
    home = place(kingsmere, jo, "12 Acacia Avenue", "house")
    car = place(kingsmere, jo, "Blue Astra AB12 CDE", "vehicle")
    for where in (home, car):
        link_at(jo, at(2027, 1, 5), young_person=story["mia"], location=where)
    labels = " ".join(counts(groups.section(context(kingsmere)), "profile.groups.largest"))
    assert "Acacia" not in labels
    assert "Astra" not in labels
    assert f"House or flat, not named (place {home.pk})" in labels
    ranked = " ".join(counts(places.section(context(kingsmere)), "profile.places.by_young_people"))
    assert "Acacia" not in ranked
    assert "Astra" not in ranked
