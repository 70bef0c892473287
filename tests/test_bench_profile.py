"""The profile and network benchmark's own parts on a tiny dataset: the data
generator keeps its proportions and its districts, the held-out district
gets none of the growth, and the bare SQL replays exactly the profile's
statements. The timings themselves are `make bench`'s."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from benchmarks import bench_profile
from benchmarks.bench_caseloads import add_districts
from benchmarks.bench_home import load_default_template
from benchmarks.bench_records import _highest, add_young_people
from benchmarks.bench_reports import last_quarter
from benchmarks.harness import Goal
from benchmarks.network_data import add_network_data
from cse_cases.models import Area, ContextLink, Location, PersonOfConcern, User, YoungPerson
from cse_cases.wiring.demo.seed import seed_partnership
from reports.profile.context import ProfileContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership():
    load_default_template()
    seed_partnership()
    add_districts(3, first=Area.objects.count())


def test_the_generator_keeps_its_proportions_within_each_district(partnership):
    areas = list(Area.objects.values_list("pk", flat=True))
    add_young_people(200)
    add_network_data(people_after=0, episodes_after=0, area_ids=areas)
    people = YoungPerson.objects.count()
    # One person for every 5 and one place for every 10 young people of a
    # district (rounded up per district), 3 links for each young person.
    assert people // 5 <= PersonOfConcern.objects.count() <= people // 5 + len(areas)
    assert people // 10 <= Location.objects.count() <= people // 10 + len(areas)
    links = ContextLink.objects.count()
    assert 2.5 * people <= links <= 3 * people
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM cse_cases_contextlink AS k
            JOIN cse_cases_youngperson AS y ON y.id = k.young_person_id
            LEFT JOIN cse_cases_personofconcern AS p ON p.id = k.person_id
            LEFT JOIN cse_cases_location AS l ON l.id = k.location_id
            WHERE p.area_id <> y.area_id OR l.area_id <> y.area_id
            """
        )
        assert cursor.fetchone()[0] == 0


def test_the_network_district_is_kept_out_of_the_growth(partnership):
    held = Area.objects.order_by("pk").last()
    with bench_profile.held_out(held):
        add_young_people(100)
    assert not YoungPerson.objects.filter(area=held).exists()
    assert User.objects.filter(areas=held).exists()  # its workers are back


def test_the_bare_sql_replays_the_statements_of_the_profile(partnership):
    add_young_people(50)
    add_network_data(
        people_after=0,
        episodes_after=0,
        area_ids=list(Area.objects.values_list("pk", flat=True)),
    )
    today = timezone.localdate()
    ctx = ProfileContext(
        area_ids=tuple(Area.objects.values_list("pk", flat=True)),
        period=last_quarter(today),
        using="default",
        today=today,
    )
    statements = bench_profile.capture(ctx)
    assert statements
    bench_profile.bare_sql("default", statements)()
    rows = bench_profile.profile_goal(ctx, "tiny")
    (goal,) = [row for row in rows if isinstance(row, Goal)]
    assert goal.limit == bench_profile.PROFILE_RATIO
    assert _highest("cse_cases_contextlink") > 0
