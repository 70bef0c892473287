"""Wellbeing figures as an attacker would read them: Jo, a CSE lead, is not
one of the pair in anyone's supervision and must never be able to work out
one worker's rating, whether by comparing two windows, reading a small team,
or watching a worker join. Today is 1 December 2026: the last completed
quarter is July to September, the one before April to June."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cse_cases.models import Team, User
from supervision.sessions import selectors
from supervision.sessions.models import SupervisionSession
from tests.conftest import verified
from tests.factories import AgencyFactory, AreaFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.django_db]

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 12, 1)
JULY, APRIL = date(2026, 7, 15), date(2026, 4, 15)
FEWER = "Fewer than 5 workers gave a rating"


def rated(worker: User, team: Team, held_on: date, rating: int, *, recorded: date | None = None):
    recorded = recorded or held_on
    return SupervisionSession.objects.create(
        supervisor=team.supervisor,
        worker=worker,
        team=team,
        held_on=held_on,
        duration_minutes=60,
        wellbeing_rating=rating,
        created_at=datetime(recorded.year, recorded.month, recorded.day, 10, tzinfo=LONDON),
    )


def workers_of(team: Team, n: int) -> list[User]:
    areas = list(team.supervisor.areas.all())
    return [UserFactory(team=team, agency=team.agency, areas=areas) for _ in range(n)]


def figure_for(reader: User, team: Team, today: date = TODAY) -> selectors.TeamWellbeing:
    (row,) = [
        r for r in selectors.wellbeing_by_team(verified(reader), today) if r.team_id == team.pk
    ]
    return row


@time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=LONDON))
def test_each_worker_counts_once_not_each_session(jo, kingsmere_team):
    often, *others = workers_of(kingsmere_team, 5)
    for day in range(1, 11):  # seen weekly, struggling
        rated(often, kingsmere_team, date(2026, 7, day), 1)
    for worker in others:
        rated(worker, kingsmere_team, JULY, 5)
    row = figure_for(jo, kingsmere_team)
    # By session the mean would be 30 / 14, about 2.1; by worker it is 21 / 5 = 4.2.
    assert (row.latest.label, row.latest.band, row.latest.workers) == (
        "July to September 2026",
        "Between 4 and 5",
        5,
    )


@time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=LONDON))
def test_a_team_of_two_shows_no_figure(jo, sam, kingsmere_team):
    first, second = workers_of(kingsmere_team, 2)
    rated(first, kingsmere_team, JULY, 1)
    rated(second, kingsmere_team, JULY, 5)
    for reader in (jo, sam):
        row = figure_for(reader, kingsmere_team)
        assert (row.latest.shown, row.latest.band, row.latest.workers) == (False, None, None)
        assert row.latest.withheld_because == FEWER


@time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=LONDON))
def test_two_adjacent_windows_give_the_same_figure(jo, kingsmere_team):
    """A rolling window moved by a day, or a rating added, gave one person's
    rating away as the difference. A completed quarter never moves: today's
    ratings and one entered late for September do not change it."""
    team = workers_of(kingsmere_team, 5)
    for worker in team:
        rated(worker, kingsmere_team, JULY, 4)
    before = figure_for(jo, kingsmere_team, date(2026, 11, 30))
    late, today_rated = workers_of(kingsmere_team, 2)
    rated(late, kingsmere_team, date(2026, 9, 30), 1, recorded=date(2026, 10, 2))
    rated(today_rated, kingsmere_team, TODAY, 1)
    rated(team[0], kingsmere_team, TODAY, 1)
    after = figure_for(jo, kingsmere_team, TODAY)
    assert before == after
    assert (after.latest.band, after.latest.workers) == ("Between 4 and 5", 5)


@time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=LONDON))
def test_a_worker_joining_does_not_change_a_quarter_already_shown(
    jo, kingsmere_team, kingsmere_social_care, kingsmere
):
    team = workers_of(kingsmere_team, 5)
    for worker in team:
        rated(worker, kingsmere_team, JULY, 4)
    other_supervisor = UserFactory(
        role="supervisor", agency=kingsmere_social_care, areas=[kingsmere]
    )
    duty = TeamFactory(name="Duty team", agency=kingsmere_social_care, supervisor=other_supervisor)
    (newcomer,) = workers_of(duty, 1)
    rated(newcomer, duty, JULY, 1)
    before = figure_for(jo, kingsmere_team)
    newcomer.team = kingsmere_team
    newcomer.save()
    assert figure_for(jo, kingsmere_team) == before
    assert before.latest.workers == 5


@time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=LONDON))
def test_a_quarter_one_person_apart_from_the_one_before_is_not_shown(jo, kingsmere_team):
    """April to June: five workers. July to September: the same five and one
    more. Side by side the difference would be the sixth worker's rating."""
    five = workers_of(kingsmere_team, 5)
    for worker in five:
        rated(worker, kingsmere_team, APRIL, 4)
        rated(worker, kingsmere_team, JULY, 4)
    (sixth,) = workers_of(kingsmere_team, 1)
    rated(sixth, kingsmere_team, JULY, 1)
    row = figure_for(jo, kingsmere_team)
    assert (row.previous.band, row.previous.workers) == ("Between 4 and 5", 5)
    assert (row.latest.shown, row.latest.band, row.latest.workers) == (False, None, None)
    assert "could point to one person" in row.latest.withheld_because


@time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=LONDON))
def test_quarters_five_people_apart_or_identical_are_both_shown(jo, kingsmere_team):
    five = workers_of(kingsmere_team, 5)
    for worker in five:
        rated(worker, kingsmere_team, APRIL, 2)
        rated(worker, kingsmere_team, JULY, 3)
    row = figure_for(jo, kingsmere_team)
    assert (row.previous.band, row.latest.band) == ("Between 2 and 3", "Between 3 and 4")
    for worker in workers_of(kingsmere_team, 5):
        rated(worker, kingsmere_team, JULY, 3)
    row = figure_for(jo, kingsmere_team)
    assert (row.latest.band, row.latest.workers) == ("Between 3 and 4", 10)


def test_the_figures_take_two_queries_whatever_the_team_size(jo, kingsmere_team):
    for worker in workers_of(kingsmere_team, 12):
        rated(worker, kingsmere_team, JULY, 3)
        rated(worker, kingsmere_team, APRIL, 3)
    reader = verified(jo)
    with CaptureQueriesContext(connection) as queries:
        selectors.wellbeing_by_team(reader, TODAY)
    assert len(queries) == 2


def test_a_cse_lead_sees_only_teams_wholly_in_their_districts(
    jo, kingsmere_team, kingsmere_social_care, kingsmere, afon_valley
):
    """Jo leads for Kingsmere. A regional team with one worker in Kingsmere and
    the rest in Afon Valley is not hers to read; the same agency's team whose
    workers all work in Kingsmere is."""
    regional = AgencyFactory(name="Regional Youth Service", areas=[kingsmere, afon_valley])
    boss = UserFactory(role="supervisor", agency=regional, areas=[afon_valley])
    mostly_afon = TeamFactory(name="Mostly Afon", agency=regional, supervisor=boss)
    UserFactory(team=mostly_afon, agency=regional, areas=[kingsmere])
    UserFactory(team=mostly_afon, agency=regional, areas=[afon_valley])
    all_kingsmere = TeamFactory(name="All Kingsmere", agency=regional, supervisor=boss)
    UserFactory(team=all_kingsmere, agency=regional, areas=[kingsmere])
    straddling = TeamFactory(name="Straddling", agency=regional, supervisor=boss)
    UserFactory(team=straddling, agency=regional, areas=[kingsmere, afon_valley])
    elsewhere = AgencyFactory(name="Elsewhere Care", areas=[AreaFactory(name="Elsewhere")])
    nobody_yet = TeamFactory(name="Nobody yet", agency=elsewhere)
    seen = set(
        Team.objects.filter(
            pk__in=[r.team_id for r in selectors.wellbeing_by_team(verified(jo), TODAY)]
        ).values_list("name", flat=True)
    )
    assert seen == {kingsmere_team.name, "All Kingsmere"}
    assert nobody_yet.name not in seen
    # The supervisor of the regional teams reads their own, and no one else's.
    assert {r.team_name for r in selectors.wellbeing_by_team(verified(boss), TODAY)} == {
        "Mostly Afon",
        "All Kingsmere",
        "Straddling",
    }


def test_a_practitioner_has_no_wellbeing_figures(amira, ben):
    assert selectors.wellbeing_by_team(verified(ben), TODAY) == []


@time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=LONDON))
def test_the_page_shows_a_band_never_a_decimal(jo, kingsmere_team, sign_in):
    for worker, rating in zip(workers_of(kingsmere_team, 5), (3, 4, 4, 4, 5), strict=True):
        rated(worker, kingsmere_team, JULY, rating)
    page = sign_in(jo).get("/supervision/").content.decode()
    assert "Wellbeing, July to September 2026" in page
    assert "Between 4 and 5 (5 workers)" in page
    assert "4.0" not in page
