"""The supervision frequency rule at its boundaries (week 6, month 6), on a
bank holiday (due dates are calendar dates: they do not move), the drift flag
it raises and clears, and the team figures built on it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cse_cases.models import Team, User
from supervision import services as sweep_services
from supervision.caseloads.models import WorkerProfile
from supervision.models import Flag
from supervision.sessions import selectors
from supervision.sessions.models import SupervisionSession
from tests.factories import UserFactory
from tests.supervision.sessions.conftest import record

pytestmark = [pytest.mark.django_db]

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def started(worker: User, on: date | None, by: User) -> None:
    WorkerProfile.objects.update_or_create(
        user=worker,
        defaults={
            "weekly_hours": Decimal(37),
            "capacity_points": Decimal(20),
            "practice_started_on": on,
            "updated_by": by,
        },
    )


def held(worker: User, supervisor: User, on: date) -> SupervisionSession:
    return SupervisionSession.objects.create(
        supervisor=supervisor, worker=worker, held_on=on, duration_minutes=60
    )


def due(worker: User, today: date) -> selectors.SupervisionDue:
    return selectors.supervision_due([worker], today)[worker.pk]


@time_machine.travel(at(date(2026, 12, 1)))
@pytest.mark.parametrize(
    ("last", "next_due"),
    [
        # Practice began 20 October 2026: weekly for the first 6 weeks.
        (date(2026, 11, 30), date(2026, 12, 7)),  # day 41: still weekly
        (date(2026, 12, 1), date(2026, 12, 15)),  # day 42 (week 6): fortnightly from here
    ],
)
def test_a_newly_qualified_worker_is_weekly_until_week_6(sam, amira, last, next_due):
    started(amira, date(2026, 10, 20), sam)
    held(amira, sam, last)
    assert due(amira, date(2026, 12, 1)).next_due_on == next_due


@time_machine.travel(at(date(2026, 12, 1)))
@pytest.mark.parametrize(
    ("last", "next_due"),
    [
        # Practice began 1 June 2026: fortnightly until 1 December, then monthly.
        (date(2026, 11, 30), date(2026, 12, 14)),
        (date(2026, 12, 1), date(2027, 1, 1)),
    ],
)
def test_a_newly_qualified_worker_is_fortnightly_until_month_6(sam, amira, last, next_due):
    started(amira, date(2026, 6, 1), sam)
    held(amira, sam, last)
    assert due(amira, date(2026, 12, 1)).next_due_on == next_due


@time_machine.travel(at(date(2026, 12, 1)))
def test_practice_begun_over_a_year_ago_is_monthly(sam, amira):
    started(amira, date(2025, 11, 1), sam)
    held(amira, sam, date(2026, 11, 25))
    assert due(amira, date(2026, 12, 1)).next_due_on == date(2026, 12, 25)


def test_everyone_else_is_monthly_and_on_time_until_the_due_day(sam, amira):
    with time_machine.travel(at(date(2026, 11, 1))):
        held(amira, sam, date(2026, 11, 1))
    assert due(amira, date(2026, 12, 1)) == selectors.SupervisionDue(
        date(2026, 11, 1), date(2026, 12, 1), True
    )
    assert due(amira, date(2026, 12, 2)).on_time is False


def test_a_due_date_on_a_bank_holiday_stays_on_it(sam, amira):
    """28 December 2026 is the Boxing Day bank holiday in England: the rule
    counts calendar months, so the session is due that day, not after it."""
    held(amira, sam, date(2026, 11, 28))
    assert due(amira, date(2026, 12, 1)).next_due_on == date(2026, 12, 28)


def test_before_any_session_it_counts_from_the_start_of_practice(sam, amira):
    amira.date_joined = at(date(2026, 1, 5))
    amira.save()
    started(amira, date(2026, 11, 23), sam)
    assert due(amira, date(2026, 11, 24)) == selectors.SupervisionDue(
        None, date(2026, 11, 30), True
    )


def test_supervision_due_is_one_query_for_any_number_of_workers(sam, kingsmere_team):
    workers = [UserFactory(team=kingsmere_team) for _ in range(30)]
    for worker in workers[:10]:
        held(worker, sam, date(2026, 11, 20))
    for size in (1, 30):
        with CaptureQueriesContext(connection) as queries:
            result = selectors.supervision_due(workers[:size], date(2026, 12, 1))
        assert len(queries) == 1
        assert len(result) == size


def test_an_overdue_worker_gets_one_flag_owned_by_the_supervisor_until_a_session(
    sam, amira, kingsmere, kingsmere_team
):
    # The supervisor is in no team of their own: the flag is still the worker's team's.
    sam.team = None
    sam.save()
    with time_machine.travel(at(date(2026, 10, 1))):
        held(amira, sam, date(2026, 10, 1))
    with time_machine.travel(at(date(2026, 12, 1))):
        sweep_services.flags_sweep(now=timezone.now(), kinds=["supervision"])
        sweep_services.flags_sweep(now=timezone.now(), kinds=["supervision"])
        flag = Flag.objects.get(kind="supervision")
        assert (flag.subject_type, flag.subject_id, flag.owner, flag.area, flag.team) == (
            "user",
            amira.pk,
            sam,
            kingsmere,
            kingsmere_team,
        )
        assert flag.due_at == at(date(2026, 11, 1), 0)
        assert flag.resolved_at is None
        record(by=sam, worker=amira)
        flag.refresh_from_db()
        assert flag.resolved_at is not None
        # The next sweep leaves it resolved and raises nothing new.
        sweep_services.flags_sweep(now=timezone.now(), kinds=["supervision"])
        assert not Flag.objects.filter(kind="supervision", resolved_at__isnull=True).exists()


@time_machine.travel(at(date(2026, 12, 1)))
def test_the_flag_is_seen_by_the_worker_and_supervisor_until_it_escalates(
    sam, amira, ben, jo, sign_in
):
    held(amira, sam, date(2026, 10, 30))  # due 30 November: one working day late
    sweep_services.flags_sweep(now=timezone.now(), kinds=["supervision"])
    flag = Flag.objects.get(kind="supervision")
    for reader, expected in ((sam, 200), (amira, 200), (ben, 404), (jo, 404)):
        assert sign_in(reader).get(f"/api/v1/flags/{flag.pk}/").status_code == expected, reader
    # Aged, it goes past Sam (no one supervises him) to Kingsmere's CSE lead.
    with time_machine.travel(at(date(2026, 12, 10))):
        sweep_services.flags_sweep(now=timezone.now(), kinds=["supervision"])
        for reader, expected in ((sam, 200), (amira, 200), (ben, 404), (jo, 200)):
            response = sign_in(reader).get(f"/api/v1/flags/{flag.pk}/")
            assert response.status_code == expected, reader


@time_machine.travel(at(date(2026, 12, 1)))
def test_compliance_per_team_in_one_query(sam, amira, kingsmere_team):
    late = UserFactory(team=kingsmere_team)
    never = UserFactory(team=kingsmere_team)
    held(amira, sam, date(2026, 11, 20))
    SupervisionSession.objects.create(
        supervisor=sam, worker=late, held_on=date(2026, 9, 20), duration_minutes=30
    )
    SupervisionSession.objects.create(
        supervisor=sam, worker=late, held_on=date(2026, 10, 20), duration_minutes=90
    )
    with CaptureQueriesContext(connection) as queries:
        (row,) = selectors.supervision_compliance(
            Team.objects.filter(pk=kingsmere_team.pk), date(2026, 12, 1)
        )
    assert len(queries) == 1
    assert never.pk
    # Amira on time; the late worker was seen in the quarter but is overdue now.
    assert (row.workers, row.on_time) == (3, 1)
    assert row.median_minutes == 60.0  # 30, 60 and 90 minutes in the quarter


@time_machine.travel(at(date(2026, 12, 1)))
def test_a_worker_with_no_district_is_flagged_in_their_supervisors(sam, amira, kingsmere):
    amira.areas.clear()
    held(amira, sam, date(2026, 10, 1))
    sweep_services.flags_sweep(now=timezone.now(), kinds=["supervision"])
    assert Flag.objects.get(kind="supervision").area == kingsmere


@time_machine.travel(at(date(2026, 12, 1)))
def test_workers_of_teams_without_a_supervisor_are_not_flagged(sam, amira, kingsmere_social_care):
    unsupervised = Team.objects.create(name="No manager yet", agency=kingsmere_social_care)
    UserFactory(team=unsupervised, date_joined=at(date(2025, 1, 1)))
    held(amira, sam, date(2026, 11, 20))
    sweep_services.flags_sweep(now=timezone.now(), kinds=["supervision"])
    assert not Flag.objects.filter(kind="supervision").exists()
