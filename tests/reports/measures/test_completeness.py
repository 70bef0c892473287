"""Data completeness: recorded and not known, field by field."""

from __future__ import annotations

from datetime import date

import pytest

from cse_cases.models import Case
from reports.measures import completeness
from tests.factories import YoungPersonFactory
from tests.reports.measures.hand_built import NOW, at, case, context, referral, rows, statements

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW)]


def test_each_field_recorded_or_not_known_for_young_people_in_the_period(
    kingsmere, afon_valley
) -> None:
    # Everything recorded.
    full = case(
        kingsmere,
        opened_on=date(2026, 6, 1),
        ethnicity="white_british",
        disability_or_send="Dyslexia",
        gender="female",
    )
    Case.objects.filter(pk=full.pk).update(exploitation_models=["online"], risk_level="high")
    # Nothing recorded yet.
    case(kingsmere, opened_on=date(2027, 3, 1))
    # Referred in the period, no case yet; "prefers not to say" is an answer.
    referred = YoungPersonFactory(area=kingsmere, ethnicity="not_said", gender="male")
    referral(kingsmere, referred, at(date(2027, 2, 1)))
    # Outside the period, and another district's.
    case(kingsmere, opened_on=date(2026, 1, 1), closed_on=date(2026, 11, 1))
    referral(kingsmere, YoungPersonFactory(area=kingsmere), at(date(2026, 12, 1)))
    case(afon_valley, opened_on=date(2026, 6, 1))

    table = completeness.completeness(context(kingsmere))

    assert table.columns == ("Recorded", "Not known")
    assert (table.row_totals, table.column_totals, table.percentages) == (True, False, True)
    assert rows(table) == {
        "Ethnicity": (2, 1),
        "Disability or special educational needs": (1, 2),
        "Model of exploitation": (1, 2),
        "Risk level": (1, 2),
        "Gender": (2, 1),
        "Care status": (3, 0),
    }


def test_the_section_runs_the_same_statements_whatever_the_data(kingsmere) -> None:
    ctx = context(kingsmere)
    case(kingsmere, opened_on=date(2026, 1, 1))
    few = statements(ctx, completeness.section)
    for _ in range(4):
        case(kingsmere, opened_on=date(2026, 1, 1), ethnicity="white_irish")
    assert statements(ctx, completeness.section) == few == 1
    assert rows(completeness.completeness(ctx))["Ethnicity"] == (4, 1)
