"""Missing, on hand-built episodes in Kingsmere (the report's district) and
Afon Valley (not counted). The period is January to March 2027; the
previous column is October to December 2026.

- Mia: last seen 20 December, 10 January, and exactly 90 days after the
  first (20 March): three in 90 days, reached in the period.
- Noah: the same, but the third is 90 days and one second after the first:
  not repeat missing. His January episode was an absence, with an
  exploitation concern noted.
- Lily: three episodes in November and December, none since. She is
  missing repeatedly in the previous column only: a window counts in the
  period its last episode starts in, so a child with no episode in the
  period is not counted in it (review finding: the 90 days up to 1 January
  hold all three, and she was once counted in both).
- Ava: at 00:15 on 1 January (in the period), 23:30 on 31 March, BST (in
  it), and 00:30 on 1 April, BST (after it).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.measures import missing
from tests.reports.measures.helpers import REPORT_MOMENT, at, context, counts, episode, person

pytestmark = pytest.mark.time_machine(REPORT_MOMENT)

DAY = timedelta(days=1)
NINETY_DAYS = timedelta(days=90)


def spell(young_person, by, start, **fields):
    """An episode of a few hours (episodes of one young person must not overlap)."""
    return episode(young_person, by, start, start + timedelta(hours=5), **fields)


@pytest.fixture
def story(kingsmere, afon_valley, amira, tom):
    first = at(2026, 12, 20, 10)
    mia = person(kingsmere, amira)
    for start in (first, at(2027, 1, 10), first + NINETY_DAYS):
        spell(mia, amira, start)
    noah = person(kingsmere, amira)
    spell(noah, amira, first)
    spell(noah, amira, at(2027, 1, 10), missing_or_absent="absent", exploitation_concern=True)
    spell(noah, amira, first + NINETY_DAYS + timedelta(seconds=1))
    lily = person(kingsmere, amira)
    spell(lily, amira, at(2026, 11, 1))
    spell(lily, amira, at(2026, 11, 20), missing_or_absent="absent")
    spell(lily, amira, at(2026, 12, 10))
    ava = person(kingsmere, amira)
    for start in (at(2027, 1, 1, 0, 15), at(2027, 3, 31, 23, 30), at(2027, 4, 1, 0, 30)):
        episode(ava, amira, start, start + timedelta(minutes=20))
    dafydd = person(afon_valley, tom)
    for day in (5, 6, 7):
        spell(dafydd, tom, at(2027, 2, day))


def test_episodes_starting_in_the_period(kingsmere, story):
    rows = counts(missing.section(context(kingsmere)), "missing.episodes")
    assert rows == {
        "Missing": (5, 4),
        "Absent": (1, 1),
        "of which: an exploitation concern was noted": (1, 0),
    }


def test_young_people_missing_and_missing_repeatedly(kingsmere, story):
    rows = counts(missing.section(context(kingsmere)), "missing.young_people")
    assert rows == {
        "Went missing or were absent": (3, 3),
        "Missing repeatedly (3 or more episodes in 90 days)": (1, 1),
    }


def test_exactly_ninety_days_is_repeat_and_a_second_more_is_not(kingsmere, amira):
    mia, noah = person(kingsmere, amira), person(kingsmere, amira)
    first = at(2026, 12, 15, 9)
    thirds = {mia: first + NINETY_DAYS, noah: first + NINETY_DAYS + timedelta(seconds=1)}
    for young_person, third in thirds.items():
        for start in (first, first + 10 * DAY, third):
            spell(young_person, amira, start)
    rows = counts(missing.section(context(kingsmere)), "missing.young_people")
    assert rows["Missing repeatedly (3 or more episodes in 90 days)"] == (1, 0)


def test_another_district_counts_its_own(afon_valley, story):
    rows = counts(missing.section(context(afon_valley)), "missing.young_people")
    assert rows == {
        "Went missing or were absent": (1, 0),
        "Missing repeatedly (3 or more episodes in 90 days)": (1, 0),
    }


def _statements(area) -> int:
    with CaptureQueriesContext(connection) as queries:
        missing.section(context(area))
    return len(queries)


def test_statements_do_not_grow_with_the_data(kingsmere, amira, story):
    before = _statements(kingsmere)
    for _ in range(20):
        someone = person(kingsmere, amira)
        for day in range(1, 60, 7):
            spell(someone, amira, at(2027, 1, 1) + day * DAY)
    assert _statements(kingsmere) == before
    assert before <= 2
