"""Workforce: caseloads against capacity, supervision on time, continuity.

Kingsmere is reported on; the workers and children of Afon Valley's cases
must not be counted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings

from cse_cases.models import Case, CaseMember, LeadProfessionalSpell, Team, User
from reports.measures import workforce
from supervision.models import SupervisionSession, WorkerProfile
from tests.factories import TeamFactory, UserFactory
from tests.reports.measures.hand_built import (
    NOW,
    at,
    case,
    context,
    rows,
    statements,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW)]


def capacity(worker: User, points: int) -> None:
    WorkerProfile.objects.create(
        user=worker,
        weekly_hours=Decimal(settings.CASELOAD_FULL_TIME_HOURS),
        capacity_points=Decimal(points),
        updated_by=worker,
    )


def leading(area, worker: User, n: int, risk: str = "not_assessed") -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        c = case(area, opened_on=date(2026, 6, 1), lead=worker)
        Case.objects.filter(pk=c.pk).update(risk_level=risk)


def test_caseloads_are_banded_against_capacity(kingsmere, afon_valley) -> None:
    # Default scheme: not assessed 1 point, medium 2, high 3; a member's share 0.25.
    light, busy, full, over, unknown, middling, theirs = UserFactory.create_batch(7)
    capacity(light, 10)
    leading(kingsmere, light, 4)  # 40%
    capacity(middling, 10)
    leading(kingsmere, middling, 3, "medium")  # 60%
    capacity(busy, 10)
    leading(kingsmere, busy, 3, "high")  # 90%
    capacity(full, 4)
    leading(kingsmere, full, 2, "medium")  # exactly 100%
    capacity(over, 2)
    leading(kingsmere, over, 1, "high")  # 150%
    leading(kingsmere, unknown, 1)  # no capacity agreed
    # In the team around a Kingsmere child only: counted, with no capacity.
    member = UserFactory()
    CaseMember.objects.create(
        case=Case.objects.filter(lead_professional=light).first(),
        user=member,
        role="Youth worker",
        added_by=light,
    )
    # Another district's worker, and one whose only Kingsmere case closed.
    capacity(theirs, 1)
    leading(afon_valley, theirs, 3, "high")
    closed = UserFactory()
    case(kingsmere, opened_on=date(2026, 1, 1), closed_on=date(2027, 1, 1), lead=closed)

    table = workforce.caseloads(context(kingsmere))

    assert table.columns == ("On 10 Apr 2027",)
    assert rows(table) == {
        "Under 50% of capacity": (1,),
        "50% to 85% of capacity": (1,),
        "85% to 100% of capacity": (2,),
        "Over 100% of capacity": (1,),
        "No capacity agreed": (2,),
    }
    assert table.unit == "workers"


def supervised(team: Team, area, *held_on: date) -> User:  # type: ignore[no-untyped-def]
    worker = UserFactory(agency=team.agency, team=team)
    leading(area, worker, 1)
    for day in held_on:
        SupervisionSession.objects.create(
            supervisor=team.supervisor, worker=worker, held_on=day, duration_minutes=60
        )
    return worker


def test_supervision_is_on_time_overdue_or_not_recorded(kingsmere, afon_valley) -> None:
    team = TeamFactory(supervisor=UserFactory())
    supervised(team, kingsmere, date(2027, 2, 1), date(2027, 3, 20))  # next due 20 April
    supervised(team, kingsmere, date(2027, 2, 1))  # due 1 March: overdue
    supervised(team, kingsmere)  # none yet
    supervised(team, afon_valley, date(2027, 2, 1))  # another district's
    # A worker with no supervisor is outside the frequency rule.
    leading(kingsmere, UserFactory(), 1)

    table = workforce.supervision(context(kingsmere))

    assert rows(table) == {
        "Supervision on time": (1,),
        "Supervision overdue": (1,),
        "No supervision recorded": (1,),
    }


def spells(of: Case, *started: date) -> None:
    """Lead professional spells starting on those days, the last one current."""
    for i, day in enumerate(started):
        ended = at(started[i + 1]) if i + 1 < len(started) else None
        LeadProfessionalSpell.objects.create(
            case=of, user=UserFactory(), started_at=at(day), ended_at=ended
        )


def test_children_by_changes_of_lead_professional_in_the_year_to_each_periods_end(
    kingsmere, afon_valley
) -> None:
    # The year to 31 March 2027 starts 1 April 2026; to 31 December, 1 January 2026.
    twice = case(kingsmere, opened_on=date(2026, 2, 1))
    spells(twice, date(2026, 2, 1), date(2026, 6, 1), date(2027, 2, 1))
    steady = case(kingsmere, opened_on=date(2026, 3, 1))
    spells(steady, date(2026, 3, 1))
    many = case(kingsmere, opened_on=date(2026, 5, 1))
    spells(
        many,
        date(2026, 5, 1),
        date(2026, 7, 1),
        date(2026, 9, 1),
        date(2026, 11, 1),
        date(2027, 3, 31),
    )
    new = case(kingsmere, opened_on=date(2027, 2, 1))
    spells(new, date(2027, 2, 1))
    old = case(kingsmere, opened_on=date(2025, 1, 1), closed_on=date(2025, 12, 1))
    spells(old, date(2025, 1, 1), date(2025, 6, 1))
    theirs = case(afon_valley, opened_on=date(2026, 5, 1))
    spells(theirs, date(2026, 5, 1), date(2026, 8, 1))

    table = workforce.continuity(context(kingsmere))

    assert rows(table) == {
        "No change of lead professional": (2, 1),
        "1 change": (0, 1),
        "2 changes": (1, 0),
        "3 or more changes": (1, 1),
    }


def test_the_section_runs_the_same_statements_whatever_the_data(kingsmere) -> None:
    ctx = context(kingsmere)
    team = TeamFactory(supervisor=UserFactory())

    def add(n: int) -> None:
        for _ in range(n):
            worker = supervised(team, kingsmere, date(2027, 3, 20))
            capacity(worker, 10)
            spells(Case.objects.filter(lead_professional=worker).get(), date(2026, 6, 1))

    add(1)
    few = statements(ctx, workforce.section)
    add(4)
    many = statements(ctx, workforce.section)
    assert few == many <= 4
    assert sum(rows(workforce.supervision(ctx))["Supervision on time"]) == 5
