"""Outcomes: risk trajectories, closures by category, re-referrals.

Kingsmere is reported on; Afon Valley's records sit beside them and must not
be counted."""

from __future__ import annotations

from datetime import date

import pytest

from reports.measures import outcomes
from tests.reports.measures.hand_built import (
    NOW,
    at,
    case,
    context,
    referral,
    rows,
    signed_off,
    statements,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW)]


def test_risk_is_compared_between_the_first_and_latest_signed_off_assessment(
    kingsmere, afon_valley, template
) -> None:
    # Reduced: high, then medium (before the period ends, only the first).
    reduced = case(kingsmere, opened_on=date(2026, 6, 1))
    signed_off(reduced, template, "high", at(date(2026, 7, 1)))
    signed_off(reduced, template, "medium", at(date(2027, 2, 1)))
    # The same, in both periods.
    same = case(kingsmere, opened_on=date(2026, 1, 1))
    signed_off(same, template, "low", at(date(2026, 3, 1)))
    signed_off(same, template, "low", at(date(2026, 11, 1)))
    # Increased, signed off at 23:30 on the last day (BST): still in March.
    increased = case(kingsmere, opened_on=date(2026, 5, 1))
    signed_off(increased, template, "low", at(date(2026, 8, 1)))
    signed_off(increased, template, "high", at(date(2027, 3, 31), 23, 30))
    # Opened under six months before the period's end: not yet counted.
    recent = case(kingsmere, opened_on=date(2026, 12, 1))
    signed_off(recent, template, "high", at(date(2026, 12, 20)))
    signed_off(recent, template, "low", at(date(2027, 3, 1)))
    # Closed before the period: counted only in the period before (no assessments).
    case(kingsmere, opened_on=date(2026, 1, 1), closed_on=date(2026, 11, 30), category="other")
    # Another district's case.
    elsewhere = case(afon_valley, opened_on=date(2026, 1, 1))
    signed_off(elsewhere, template, "high", at(date(2026, 2, 1)))
    signed_off(elsewhere, template, "low", at(date(2027, 2, 1)))

    table = outcomes.risk_trajectories(context(kingsmere))

    assert table.columns == ("Jan to Mar 2027", "Oct to Dec 2026")
    assert rows(table) == {
        "Risk reduced": (1, 0),
        "Risk the same": (1, 1),
        "Risk increased": (1, 0),
        "Fewer than two signed-off assessments": (0, 3),
    }


def test_closed_cases_are_counted_by_category_not_by_their_reason(kingsmere, afon_valley) -> None:
    case(
        kingsmere, opened_on=date(2026, 1, 1), closed_on=date(2027, 1, 15), category="risk_reduced"
    )
    case(kingsmere, opened_on=date(2026, 1, 1), closed_on=date(2027, 3, 31), category="moved_away")
    case(kingsmere, opened_on=date(2026, 1, 1), closed_on=date(2026, 11, 15))
    # A merged duplicate ends no work; another district's closure is theirs.
    case(kingsmere, opened_on=date(2026, 1, 1), closed_on=date(2027, 2, 2), category="duplicate")
    case(afon_valley, opened_on=date(2026, 1, 1), closed_on=date(2027, 2, 2), category="other")
    case(kingsmere, opened_on=date(2026, 1, 1))

    table = outcomes.closures(context(kingsmere))

    counted = rows(table)
    assert counted["Risk reduced or plan achieved"] == (1, 0)
    assert counted["Moved out of the area"] == (1, 0)
    assert counted["Not recorded"] == (0, 1)
    assert counted["Other"] == (0, 0)
    assert "Duplicate record merged into another" not in counted
    assert sum(v[0] for v in counted.values()) == 2
    assert table.unit == "cases"


def test_young_people_referred_again_within_a_year_of_a_case_closing(
    kingsmere, afon_valley
) -> None:
    # Closed in January, referred again in March.
    back_soon = case(
        kingsmere, opened_on=date(2026, 1, 1), closed_on=date(2027, 1, 15), category="risk_reduced"
    )
    referral(kingsmere, back_soon.young_person, at(date(2027, 3, 1)))
    # Closed in November, referred in December and again in February: once in each period.
    twice = case(kingsmere, opened_on=date(2026, 1, 1), closed_on=date(2026, 11, 15))
    referral(kingsmere, twice.young_person, at(date(2026, 12, 1)))
    referral(kingsmere, twice.young_person, at(date(2027, 2, 1)))
    # Closed more than a year before the referral: not "again within a year".
    long_ago = case(kingsmere, opened_on=date(2025, 1, 1), closed_on=date(2025, 6, 1))
    referral(kingsmere, long_ago.young_person, at(date(2027, 1, 20)))
    # A first referral, and one about someone not yet identified.
    first = case(kingsmere, opened_on=date(2027, 2, 11))
    referral(kingsmere, first.young_person, at(date(2027, 2, 10)))
    referral(kingsmere, None, at(date(2027, 2, 10)))
    # Another district's.
    theirs = case(afon_valley, opened_on=date(2026, 1, 1), closed_on=date(2027, 1, 15))
    referral(afon_valley, theirs.young_person, at(date(2027, 3, 1)))

    table = outcomes.re_referrals(context(kingsmere))

    assert rows(table) == {
        "Referred within 12 months after a case closed": (2, 1),
        "Other young people referred": (2, 0),
    }


def test_the_section_runs_the_same_statements_whatever_the_data(kingsmere, template) -> None:
    ctx = context(kingsmere)

    def add(n: int) -> None:
        for i in range(n):
            c = case(kingsmere, opened_on=date(2026, 1, 1), closed_on=date(2027, 1, 10 + i))
            signed_off(c, template, "high", at(date(2026, 2, 1 + i)))
            signed_off(c, template, "low", at(date(2026, 10, 1 + i)))
            referral(kingsmere, c.young_person, at(date(2027, 2, 1 + i)))

    add(1)
    few = statements(ctx, outcomes.section)
    add(4)
    many = statements(ctx, outcomes.section)
    assert few == many <= 6
    assert sum(rows(outcomes.closures(ctx))["Not recorded"]) == 5
