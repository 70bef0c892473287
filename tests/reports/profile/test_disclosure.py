"""Inside the partnership the profile's counts are exact; read beyond CSE
leads and police (the context's flag) they pass the reports' disclosure
control (reports/disclosure.py), as a commissioner's figures do."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cse_cases import access
from reports.profile import selectors
from tests.conftest import verified
from tests.reports.profile.story import PROFILE_MOMENT, build, context

pytestmark = pytest.mark.time_machine(PROFILE_MOMENT)


def _persons(ctx) -> dict:
    sections = selectors.publish(ctx, selectors.raw_sections(ctx))
    table = next(t for s in sections for t in s.tables if t.key == "profile.persons.figures")
    return {row.label: row.cells[0] for row in table.rows}


def test_exact_for_leads_and_police_controlled_when_shared(kingsmere, afon_valley, amira, jo, tom):
    build(kingsmere, afon_valley, amira, jo, tom)
    exact = _persons(context(kingsmere))
    assert exact["Persons of concern in the district"].value == 3
    assert not exact["Persons of concern in the district"].suppressed
    shared = _persons(replace(context(kingsmere), shared=True))
    # 3 is a small count: shown as the suppression mark, its value withheld.
    assert shared["Persons of concern in the district"].value is None
    assert shared["Persons of concern in the district"].suppressed == "small"


def test_the_readers_today_read_it_exact(jo, tom, rhian):
    for reader in (jo, tom, rhian):
        assert not access.profile_shared(verified(reader))


def _groups(ctx) -> dict:
    sections = selectors.publish(ctx, selectors.raw_sections(ctx))
    section = next(s for s in sections if s.key == "groups")
    return {t.key: {row.label: row.cells for row in t.rows} for t in section.tables}


def test_groups_are_exact_for_leads_and_controlled_when_shared(
    kingsmere, afon_valley, amira, jo, tom
):
    build(kingsmere, afon_valley, amira, jo, tom)
    exact = _groups(context(kingsmere))
    assert [c.value for c in exact["profile.groups.sizes"]["6 to 10 nodes"]] == [1, 3]
    assert [c.value for c in exact["profile.groups.sizes"]["Total"]] == [2, 4]
    shared = _groups(replace(context(kingsmere), shared=True))
    # 1 to 7 are marks; the largest group's 9 nodes are rounded to 10.
    assert [c.value for c in shared["profile.groups.sizes"]["6 to 10 nodes"]] == [None, None]
    # Named by one place; young people, persons and places hidden, the
    # size (the row's Total) rounded.
    largest = shared["profile.groups.largest"]["Group 1 (around Chicken Palace)"]
    assert [c.value for c in largest] == [None, None, None, 10]
    assert [c.suppressed for c in largest[:3]] == ["small"] * 3
