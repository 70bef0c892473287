"""Each profile figure on the hand-built Kingsmere of tests/reports/profile/story.py,
with its answer worked out by hand there."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.measures import missing
from reports.profile.measures import groups, persons, places, scale, unknown, victims
from tests.reports.measures.helpers import counts
from tests.reports.profile.story import PROFILE_MOMENT, at, build, child, context, spell

pytestmark = pytest.mark.time_machine(PROFILE_MOMENT)


@pytest.fixture
def story(kingsmere, afon_valley, amira, jo, tom):
    return build(kingsmere, afon_valley, amira, jo, tom)


def test_scale_by_month_against_the_year_before(kingsmere, story):
    section = scale.section(context(kingsmere))
    assert counts(section, "profile.scale.open") == {
        "January 2027": (1, 1),
        "February 2027": (2, 1),
        "March 2027": (3, 1),
    }
    assert counts(section, "profile.scale.referrals") == {
        "January 2027": (2, 0),
        "February 2027": (0, 1),
        "March 2027": (1, 0),
    }
    assert counts(section, "profile.scale.missing") == {
        "January 2027": (1, 0),
        "February 2027": (0, 3),
        "March 2027": (2, 0),
    }
    assert counts(section, "profile.scale.repeat_missing") == {
        "January 2027": (0, 0),
        "February 2027": (0, 1),
        "March 2027": (1, 0),
    }


def test_repeat_missing_is_counted_in_the_month_its_run_completes(kingsmere, amira):
    """Three episodes in January: missing repeatedly in January, not in the
    two months after, though the run is under 90 days old in both; and the
    commissioner report's quarter agrees (one young person)."""
    someone = child(kingsmere, amira, opened_on=at(2026, 12, 1).date())
    for day in (3, 12, 24):
        spell(someone, amira, at(2027, 1, day))
    ctx = context(kingsmere)
    assert counts(scale.section(ctx), "profile.scale.repeat_missing") == {
        "January 2027": (1, 0),
        "February 2027": (0, 0),
        "March 2027": (0, 0),
    }
    quarter = {row.label: row.values for row in missing.young_people(ctx).rows}
    assert quarter["Missing repeatedly (3 or more episodes in 90 days)"] == (1, 0)


def test_victims_characteristics(kingsmere, story):
    section = victims.section(context(kingsmere))
    assert counts(section, "profile.victims.age") == {
        "Under 10": (0,),
        "10 to 11": (1,),
        "12 to 13": (0,),
        "14 to 15": (1,),
        "16 to 17": (1,),
        "18 or over": (0,),
    }
    assert counts(section, "profile.victims.gender") == {
        "Girls and young women": (2,),
        "Boys and young men": (1,),
        "Non-binary, or in another way": (0,),
        "Not known or prefers not to say": (0,),
    }
    assert counts(section, "profile.victims.called_out") == {
        "Boys and young men": (1,),
        "Children under 12": (1,),
        "Boys under 12": (1,),
        "All young people": (3,),
    }
    ethnicity = counts(section, "profile.victims.ethnicity")
    assert ethnicity["White"] == (1,)
    assert ethnicity["Black, Black British, Caribbean or African"] == (1,)
    assert ethnicity["Not known or prefers not to say"] == (1,)
    assert ethnicity["Asian or Asian British"] == (0,)  # Lily: not open in the period
    assert counts(section, "profile.victims.disability") == {
        "Disability or special educational needs recorded": (1,),
        "None recorded": (2,),
    }
    care = counts(section, "profile.victims.care")
    assert care["Looked after"] == (1,)
    assert care["Child in need or child protection plan"] == (1,)
    assert care["Neither"] == (1,)
    education = counts(section, "profile.victims.education")
    assert education["Education concern recorded"] == (1,)
    assert education["of which: excluded from school"] == (1,)
    assert education["None recorded"] == (2,)
    assert counts(section, "profile.victims.orientation") == {
        "Lesbian, gay, bisexual or another minority orientation": (1,),
        "Heterosexual": (1,),
        "Recorded in other words": (0,),
        "Not recorded, not known or prefers not to say": (1,),
    }


def test_models_of_exploitation_and_online_against_offline(kingsmere, story):
    section = victims.section(context(kingsmere))
    models = counts(section, "profile.victims.models")
    assert models["Grooming through a so-called relationship"] == (1,)
    assert models["Online exploitation"] == (1,)
    assert models["Organised or networked exploitation, including trafficking"] == (0,)
    assert models["Not recorded"] == (1,)
    assert counts(section, "profile.victims.online") == {
        "Online only": (0,),
        "Offline only": (2,),
        "Both online and offline": (1,),
        "Not known (no model and no place recorded)": (0,),
    }


def test_persons_of_concern(kingsmere, story):
    rows = counts(persons.section(context(kingsmere)), "profile.persons.figures")
    assert rows == {
        "Persons of concern in the district": (3,),
        "of which: disruption under way": (1,),
        "of which: also appear in another district": (2,),
        "Young people linked to them (young people)": (3,),
    }


def test_persons_of_another_district_are_its_own(afon_valley, story):
    rows = counts(persons.section(context(afon_valley)), "profile.persons.figures")
    # Dean (linked to Zed), Carl (recorded there), Evan; Dean and Carl also
    # belong to Kingsmere.
    assert rows["Persons of concern in the district"] == (3,)
    assert rows["of which: also appear in another district"] == (2,)
    assert rows["Young people linked to them (young people)"] == (1,)


def test_places_ranked_by_young_people_and_by_activity(kingsmere, story):
    section = places.section(context(kingsmere))
    assert counts(section, "profile.places.by_young_people") == {
        "Station Hotel (Hotel or short-stay accommodation)": (3, 2, 0),
        "Chicken Palace (Takeaway or restaurant)": (2, 1, 1),
        "Quiet Park (Park or open space)": (1, 0, 0),
        "SnapTalk (Online space (app, platform, group))": (1, 0, 0),
    }
    ranked = list(counts(section, "profile.places.by_activity"))
    assert ranked == [
        "Station Hotel (Hotel or short-stay accommodation)",
        "Chicken Palace (Takeaway or restaurant)",
    ]


def test_completeness_and_intelligence_gaps(kingsmere, story):
    section = unknown.section(context(kingsmere))
    assert counts(section, "profile.unknown.completeness") == {
        "Ethnicity of the young people": (2, 1),
        "Model of exploitation on their cases (cases)": (2, 1),
        "Where the young person went or was found (missing episodes)": (2, 1),
    }
    assert counts(section, "profile.unknown.place_gaps") == {
        "Station Hotel (Hotel or short-stay accommodation)": (3,),
    }
    assert counts(section, "profile.unknown.person_gaps") == {
        "No link recorded by the police, and no disruption": (1,),
    }


def test_a_place_with_disruption_is_not_a_gap(kingsmere, story, jo):
    from tests.reports.profile.story import disruption

    disruption(jo, "hotel_check", at(2027, 3, 1).date(), location=story["hotel"])
    section = unknown.section(context(kingsmere))
    assert counts(section, "profile.unknown.place_gaps") == {}


def _statements(area) -> dict[str, int]:
    out = {}
    for module in (scale, victims, persons, places, groups, unknown):
        with CaptureQueriesContext(connection) as queries:
            module.section(context(area))
        out[module.__name__] = len(queries)
    return out


def test_statements_do_not_grow_with_the_data(kingsmere, amira, jo, story):
    from tests.reports.profile.story import child, link, place

    before = _statements(kingsmere)
    for n in range(15):
        someone = child(kingsmere, amira, opened_on=at(2027, 1, 2).date(), gender="male")
        spell(someone, amira, at(2027, 2, 1 + n), where_found="Near the Station Hotel")
        link(jo, young_person=someone, location=place(kingsmere, jo, f"Flat {n}", "house"))
    assert _statements(kingsmere) == before
    # 14 for the first five sections, and the groups section's two.
    assert sum(before.values()) <= 16


def test_a_place_is_named_by_its_whole_words(kingsmere, amira, story):
    # Another word that starts the same does not name it; punctuation and
    # case do not hide it.
    spell(story["noah"], amira, at(2027, 2, 20), where_found="The Station Hotelier's bar")
    spell(story["noah"], amira, at(2027, 2, 22), where_found="outside STATION-hotel, again")
    rows = counts(places.section(context(kingsmere)), "profile.places.by_activity")
    assert rows["Station Hotel (Hotel or short-stay accommodation)"] == (3, 3, 0)
