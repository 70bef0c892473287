"""Workforce: caseloads against capacity, supervision on time, continuity.

Kingsmere is reported on; the workers and children of Afon Valley's cases
must not be counted."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from cse_cases.models import Case, CaseMember, LeadProfessionalSpell, Team, User, YoungPerson
from cse_cases.working_days import LONDON
from reports.measures import workforce
from supervision.caseloads.selectors import POINTS, current_scheme, worker_loads
from supervision.models import SupervisionSession, WeightingScheme, WorkerProfile
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


def bands_as_the_pages_count_them(ctx) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The reference: each worker's load and capacity from worker_loads (the
    caseload pages' per-worker reading), banded with the ORM."""
    now = datetime.combine(ctx.today + timedelta(days=1), time.min, tzinfo=LONDON)
    loads = worker_loads(current_scheme(), workforce._workers(ctx), ctx.today, now)

    def share(of: Decimal) -> ExpressionWrapper:
        return ExpressionWrapper(
            F("capacity") * Value(of, output_field=POINTS), output_field=POINTS
        )

    agreed = Q(capacity__isnull=False)
    return loads.aggregate(
        under_half=Count("pk", filter=agreed & Q(load__lt=share(workforce.HALF))),
        half=Count(
            "pk",
            filter=agreed & Q(load__gte=share(workforce.HALF), load__lt=share(workforce.HIGH)),
        ),
        high=Count(
            "pk", filter=agreed & Q(load__gte=share(workforce.HIGH), load__lte=F("capacity"))
        ),
        over=Count("pk", filter=agreed & Q(load__gt=F("capacity"))),
        no_capacity=Count("pk", filter=~agreed),
    )


def in_team(of: Case, worker: User, *, removed: bool = False) -> None:
    CaseMember.objects.create(
        case=of,
        user=worker,
        role="Youth worker",
        added_by=of.lead_professional,
        removed_at=NOW if removed else None,
    )


@pytest.mark.parametrize("scheme", ["default", "published"])
def test_the_bands_are_the_pages_own_on_varied_caseloads(kingsmere, afon_valley, scheme) -> None:
    if scheme == "published":
        # Not-assessed cases weigh nothing (a worker on the list with no
        # load), and a share whose products do not come out round.
        WeightingScheme.objects.create(
            version=1,
            published_by=UserFactory(),
            rationale="Testing",
            points_not_assessed=Decimal(0),
            points_medium=Decimal("2.35"),
            member_weight=Decimal("0.33"),
        )
    workers = UserFactory.create_batch(12)
    lead, member_only, both, full, part_time, none_agreed, closed_only = workers[:7]
    elsewhere, removed, zero, at_half, at_high = workers[7:]
    capacity(lead, 10)
    leading(kingsmere, lead, 2, "high")
    leading(afon_valley, lead, 1, "medium")  # their whole caseload counts
    capacity(member_only, 1)
    for led in Case.objects.filter(lead_professional=lead):
        in_team(led, member_only)
    capacity(both, 6)
    leading(kingsmere, both, 1, "medium")
    in_team(Case.objects.filter(lead_professional=lead, area=kingsmere).first(), both)
    # Exactly at capacity, and on each boundary between bands.
    capacity(full, 4)
    leading(kingsmere, full, 2, "medium")
    capacity(at_half, 6)
    leading(kingsmere, at_half, 1, "high")
    capacity(at_high, 20)
    leading(kingsmere, at_high, 1, "medium")
    leading(afon_valley, at_high, 5, "high")  # 17 of 20 by default: 85%
    # Part time: capacity scaled by hours that do not divide evenly.
    WorkerProfile.objects.create(
        user=part_time, weekly_hours=Decimal("22.5"), capacity_points=Decimal(7), updated_by=lead
    )
    leading(kingsmere, part_time, 2, "medium")
    leading(kingsmere, none_agreed, 2)
    # Not counted here: a case closed, or only another district's cases; a
    # removed member is counted only for their own case.
    capacity(closed_only, 1)
    case(kingsmere, opened_on=date(2026, 1, 1), closed_on=date(2027, 1, 1), lead=closed_only)
    capacity(elsewhere, 1)
    leading(afon_valley, elsewhere, 1, "high")
    capacity(removed, 3)
    leading(kingsmere, removed, 1, "low")
    in_team(Case.objects.filter(lead_professional=both).first(), removed, removed=True)
    # On the list with no open case of weight (under the published scheme).
    capacity(zero, 5)
    leading(kingsmere, zero, 1)
    ctx = context(kingsmere)

    counted = workforce.load_bands(ctx)

    assert counted == bands_as_the_pages_count_them(ctx)
    assert sum(counted.values()) == 10
    assert all(counted.values()), counted  # every band has someone in it


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


def continuity_as_the_orm_counted_it(ctx) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The reference: the measure as it was first written, with correlated
    subqueries for each child (slow at scale, plain to read)."""

    def columns(period, name: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
        since = datetime.combine(
            period.end_exclusive - relativedelta(months=12), time.min, tzinfo=LONDON
        )
        cases = Case.objects.filter(
            young_person=OuterRef("pk"), area_id__in=ctx.area_ids, opened_on__lte=period.end
        ).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=since.date()))
        earlier = LeadProfessionalSpell.objects.filter(
            case=OuterRef("case"), started_at__lt=OuterRef("started_at")
        )
        changes = (
            LeadProfessionalSpell.objects.filter(
                case__young_person=OuterRef("pk"),
                case__area_id__in=ctx.area_ids,
                started_at__gte=since,
                started_at__lt=period.end_at,
            )
            .filter(Exists(earlier))
            .order_by()
            .values("case__young_person")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return {
            f"in_{name}": Exists(cases),
            f"changes_{name}": Coalesce(Subquery(changes, output_field=IntegerField()), 0),
        }

    people = (
        YoungPerson.objects.filter(merged_into__isnull=True)
        .annotate(**columns(ctx.period, "now"), **columns(ctx.previous, "before"))
        .filter(Q(in_now=True) | Q(in_before=True))
    )

    def band(name: str, changes: int) -> Q:
        counted = Q(**{f"in_{name}": True})
        if changes == 3:
            return counted & Q(**{f"changes_{name}__gte": changes})
        return counted & Q(**{f"changes_{name}": changes})

    return people.aggregate(
        **{
            f"{name}_{changes}": Count("pk", filter=band(name, changes))
            for name in ("now", "before")
            for changes in range(4)
        }
    )


def test_continuity_is_the_orms_first_reading_on_varied_records(kingsmere, afon_valley) -> None:
    # The year to 31 March 2027 starts 1 April 2026; to 31 December, 1 January 2026.
    on_the_edges = case(kingsmere, opened_on=date(2026, 1, 1), closed_on=date(2026, 4, 1))
    spells(on_the_edges, date(2026, 1, 1), date(2026, 4, 1))  # a takeover on the first day
    closed_before = case(kingsmere, opened_on=date(2025, 6, 1), closed_on=date(2025, 12, 31))
    spells(closed_before, date(2025, 6, 1), date(2025, 9, 1), date(2025, 12, 1))
    late = case(kingsmere, opened_on=date(2027, 1, 10))  # only in the later year
    spells(late, date(2027, 1, 10), date(2027, 2, 1), date(2027, 3, 1), date(2027, 3, 2))
    after = case(kingsmere, opened_on=date(2027, 4, 1))  # opened after both periods
    spells(after, date(2027, 4, 1))
    # Two cases of one child here (one closed), and one of theirs elsewhere.
    again = case(kingsmere, opened_on=date(2025, 3, 1), closed_on=date(2026, 5, 1))
    spells(again, date(2025, 3, 1), date(2026, 2, 1))
    child = again.young_person
    later = case(kingsmere, opened_on=date(2026, 9, 1), person=child)
    spells(later, date(2026, 9, 1), date(2026, 12, 31), date(2027, 3, 31))
    away = case(afon_valley, opened_on=date(2025, 1, 1), closed_on=date(2025, 2, 1), person=child)
    spells(away, date(2026, 6, 1), date(2026, 7, 1))
    # A record merged into another is not counted a second time.
    merged = case(kingsmere, opened_on=date(2026, 6, 1))
    spells(merged, date(2026, 6, 1), date(2026, 8, 1))
    YoungPerson.objects.filter(pk=merged.young_person_id).update(merged_into=child)
    steady = case(kingsmere, opened_on=date(2026, 3, 1))
    spells(steady, date(2026, 3, 1))
    ctx = context(kingsmere)

    counted = workforce.continuity_counts(ctx)

    assert counted == continuity_as_the_orm_counted_it(ctx)
    assert sum(counted[f"now_{n}"] for n in range(4)) == 4
    assert sum(counted[f"before_{n}"] for n in range(4)) == 3


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
