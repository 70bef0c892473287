"""Value: young people supported, and the return estimate labelled as one."""

from __future__ import annotations

from datetime import date

import pytest

from reports.measures import value
from tests.reports.measures.hand_built import NOW, case, context, rows, statements

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW)]


def test_young_people_with_a_case_open_on_any_day_of_the_period(kingsmere, afon_valley) -> None:
    case(kingsmere, opened_on=date(2026, 1, 1))  # open throughout: both periods
    case(kingsmere, opened_on=date(2027, 3, 31))  # opened on the last day
    case(kingsmere, opened_on=date(2026, 6, 1), closed_on=date(2027, 1, 1))  # closed on the first
    case(kingsmere, opened_on=date(2026, 6, 1), closed_on=date(2026, 10, 1))  # the period before
    case(kingsmere, opened_on=date(2027, 4, 1))  # after the period
    case(afon_valley, opened_on=date(2026, 1, 1))
    # Two cases of one young person in the period count once.
    first = case(kingsmere, opened_on=date(2026, 1, 1), closed_on=date(2027, 1, 20))
    case(kingsmere, opened_on=date(2027, 2, 1), person=first.young_person)

    table = value.supported(context(kingsmere))

    assert rows(table) == {"Young people supported by specialist services": (4, 4)}
    assert table.column_totals is False


def test_the_estimate_cites_the_research_and_says_it_is_an_estimate(settings) -> None:
    estimate = value.estimate()
    assert (estimate.return_low, estimate.return_high) == (6, 12)
    assert estimate.table_key == "value.supported"
    assert estimate.row_label == "Young people supported by specialist services"
    assert "estimate" in estimate.title
    assert "£6 to £12 for every £1 invested" in estimate.source
    assert estimate.cost_per_young_person == value.DEFAULT_COST_PER_YOUNG_PERSON
    assert any("placeholder" in line for line in estimate.assumptions)
    assert any("not a measurement" in line for line in estimate.assumptions)

    settings.REPORTS_COST_PER_YOUNG_PERSON = 4_250
    estimate = value.estimate()
    assert estimate.cost_per_young_person == 4_250
    assert any("£4,250, the partnership's own" in line for line in estimate.assumptions)


def test_the_section_runs_the_same_statements_whatever_the_data(kingsmere) -> None:
    ctx = context(kingsmere)
    case(kingsmere, opened_on=date(2026, 1, 1))
    few = statements(ctx, value.section)
    for _ in range(4):
        case(kingsmere, opened_on=date(2026, 1, 1))
    assert statements(ctx, value.section) == few == 1
    assert rows(value.supported(ctx))["Young people supported by specialist services"] == (5, 5)
