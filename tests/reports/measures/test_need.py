"""Need and demand, on hand-built referrals in Kingsmere (England) with an
Afon Valley (Wales) referral that the Kingsmere report must not count.

The people, referred in January to March 2027 (the previous column is
October to December 2026):
- Ella, 14, a girl, White British, looked after, autistic, excluded and with
  an attendance concern, bisexual: referred in November (health), January
  (police) and February (school).
- Kai, 9, a boy, Pakistani, a child in need: referred at 23:30 on 31 March
  (BST) by a service outside Harbour.
- Rowan, 16 then 17, non-binary, ethnicity not said, not in education or
  work, "straight": referred in October (social care) and February (health).
- Someone not yet identified, referred by police in January.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cse_cases.models import AgencyKind, LegalStatus, LookedAfterBasis
from reports.measures import need
from tests.factories import AgencyFactory
from tests.reports.measures.helpers import REPORT_MOMENT, at, context, counts, person, referral

pytestmark = pytest.mark.time_machine(REPORT_MOMENT)


@pytest.fixture
def agencies(kingsmere):
    return {
        kind: AgencyFactory(name=f"Kingsmere {kind}", kind=kind, areas=[kingsmere])
        for kind in (
            AgencyKind.POLICE,
            AgencyKind.EDUCATION,
            AgencyKind.HEALTH,
            AgencyKind.CHILDRENS_SOCIAL_CARE,
        )
    }


@pytest.fixture
def story(kingsmere, afon_valley, amira, tom, agencies):
    ella = person(
        kingsmere,
        amira,
        legal_first_name="Ella",
        gender="female",
        ethnicity="white_british",
        date_of_birth=date(2012, 6, 1),
        legal_status=LegalStatus.LOOKED_AFTER,
        looked_after_basis=LookedAfterBasis.VOLUNTARY,
        disability_or_send="Autistic",
        excluded=True,
        attendance_concern=True,
        sexual_orientation="Bisexual",
    )
    kai = person(
        kingsmere,
        amira,
        legal_first_name="Kai",
        gender="male",
        ethnicity="asian_pakistani",
        date_of_birth=date(2017, 6, 1),
        legal_status=LegalStatus.CHILD_IN_NEED,
        disability_or_send="   ",
    )
    rowan = person(
        kingsmere,
        amira,
        legal_first_name="Rowan",
        gender="non_binary",
        ethnicity="not_said",
        date_of_birth=date(2010, 1, 15),
        not_in_education_or_work=True,
        sexual_orientation="straight",
    )
    police, school = agencies[AgencyKind.POLICE], agencies[AgencyKind.EDUCATION]
    health, social_care = agencies[AgencyKind.HEALTH], agencies[AgencyKind.CHILDRENS_SOCIAL_CARE]
    referral(kingsmere, amira, at(2026, 11, 5), young_person=ella, agency=health)
    referral(kingsmere, amira, at(2027, 1, 10), young_person=ella, agency=police)
    referral(kingsmere, amira, at(2027, 2, 20), young_person=ella, agency=school)
    referral(kingsmere, amira, at(2027, 3, 31, 23, 30), young_person=kai)
    referral(kingsmere, amira, at(2026, 10, 1), young_person=rowan, agency=social_care)
    referral(kingsmere, amira, at(2027, 2, 1), young_person=rowan, agency=health)
    referral(kingsmere, amira, at(2027, 1, 20), agency=police)
    # After the period (00:30 on 1 April, BST), and in another district.
    referral(kingsmere, amira, at(2027, 4, 1, 0, 30), young_person=kai)
    dafydd = person(afon_valley, tom, gender="male", date_of_birth=date(2013, 5, 5))
    referral(afon_valley, tom, at(2027, 1, 15), young_person=dafydd)


def test_referrals_by_agency_kind(kingsmere, story):
    section = need.section(context(kingsmere))
    rows = counts(section, "need.referrals_by_agency")
    assert rows["Police"] == (2, 0)
    assert rows["Education"] == (1, 0)
    assert rows["Health"] == (1, 1)
    assert rows["Children's social care"] == (0, 1)
    assert rows["Not known (referrer's agency not in Harbour)"] == (1, 0)
    assert sum(values[0] for values in rows.values()) == 5


def test_young_people_by_age_at_their_first_referral_in_the_period(kingsmere, story):
    rows = counts(need.section(context(kingsmere)), "need.young_people_by_age")
    assert rows == {
        "Under 10": (1, 0),
        "10 to 12": (0, 0),
        "13 to 15": (1, 1),
        "16 to 17": (1, 1),
        "18 or over": (0, 0),
    }


def test_boys_are_their_own_row(kingsmere, story):
    rows = counts(need.section(context(kingsmere)), "need.young_people_by_gender")
    assert rows == {
        "Girls and young women": (1, 1),
        "Boys and young men": (1, 0),
        "Non-binary, or in another way": (1, 1),
        "Not known or prefers not to say": (0, 0),
    }


def test_ethnicity_in_ons_top_level_groups(kingsmere, story):
    rows = counts(need.section(context(kingsmere)), "need.young_people_by_ethnicity")
    assert rows["White"] == (1, 1)
    assert rows["Asian or Asian British"] == (1, 0)
    assert rows["Not known or prefers not to say"] == (1, 1)
    assert rows["Black, Black British, Caribbean or African"] == (0, 0)


def test_disability_recorded_or_not(kingsmere, story):
    rows = counts(need.section(context(kingsmere)), "need.young_people_by_disability")
    # Kai's record holds only spaces: nothing recorded.
    assert rows == {
        "Disability or special educational needs recorded": (1, 1),
        "None recorded": (2, 1),
    }


def test_care_status_from_legal_status(kingsmere, story):
    rows = counts(need.section(context(kingsmere)), "need.young_people_by_care_status")
    assert rows == {
        "Looked after": (1, 1),
        "Care leaver": (0, 0),
        "Child in need or child protection plan": (1, 0),
        "Neither": (1, 1),
        "Not known": (0, 0),
    }


def test_education_concerns_with_of_which_rows(kingsmere, story):
    section = need.section(context(kingsmere))
    rows = counts(section, "need.young_people_by_education")
    assert rows == {
        "Education concern recorded": (2, 2),
        "of which: excluded from school": (1, 1),
        "of which: attendance concern": (1, 1),
        "of which: not in education, employment or training": (1, 1),
        "None recorded": (1, 0),
    }
    table = next(t for t in section.tables if t.key == "need.young_people_by_education")
    assert [row.in_total for row in table.rows] == [True, False, False, False, True]


def test_sexual_orientation_counted_never_shown(kingsmere, story):
    section = need.section(context(kingsmere))
    rows = counts(section, "need.young_people_by_orientation")
    assert rows == {
        "Lesbian, gay, bisexual or another minority orientation": (1, 1),
        "Heterosexual": (1, 1),
        "Recorded in other words": (0, 0),
        "Not recorded, not known or prefers not to say": (1, 0),
    }
    labels = {row.label.lower() for table in section.tables for row in table.rows}
    assert not {"bisexual", "straight", "autistic"} & labels


def test_re_referrals_within_twelve_months(kingsmere, story):
    rows = counts(need.section(context(kingsmere)), "need.re_referrals")
    assert rows == {
        "Re-referral within 12 months": (3, 0),
        "No referral in the 12 months before": (1, 2),
        "Young person not yet identified": (1, 0),
    }


def test_trend_by_month(kingsmere, story):
    section = need.section(context(kingsmere))
    table = next(t for t in section.tables if t.key == "need.trend")
    assert table.columns == ("Referrals", "Young people")
    assert table.chart == "line"
    assert table.column_totals  # so the months cannot leak through the agency total
    assert {row.label: row.values for row in table.rows} == {
        "January 2027": (2, 1),
        "February 2027": (2, 2),
        "March 2027": (1, 1),
    }


def test_another_districts_report_counts_only_its_own(afon_valley, story):
    rows = counts(need.section(context(afon_valley)), "need.young_people_by_gender")
    assert rows["Boys and young men"] == (1, 0)
    assert sum(values[0] for values in rows.values()) == 1


def test_no_label_names_a_person(kingsmere, story):
    section = need.section(context(kingsmere))
    labels = " ".join(row.label for table in section.tables for row in table.rows)
    for name in ("Ella", "Kai", "Rowan", "Example", "2012", "2017"):
        assert name not in labels


def _statements(area) -> int:
    with CaptureQueriesContext(connection) as queries:
        need.section(context(area))
    return len(queries)


def test_statements_do_not_grow_with_the_data(kingsmere, amira, story, agencies):
    before = _statements(kingsmere)
    for day in range(1, 28):
        someone = person(kingsmere, amira, gender="male", date_of_birth=date(2011, 1, day))
        for month in (1, 2, 3):
            referral(
                kingsmere,
                amira,
                at(2027, month, day),
                young_person=someone,
                agency=agencies[AgencyKind.POLICE],
            )
    assert _statements(kingsmere) == before
    assert before <= 12
