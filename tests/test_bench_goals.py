"""`make bench` fails when a goal is missed: the harness's judgement, on a tiny
dataset (the goals are made impossible, or easy, on purpose)."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from benchmarks.__main__ import run_benchmarks
from benchmarks.harness import AT_MOST, EQUAL, Goal, Row, best_seconds, count_queries, page_goals
from cse_cases.models import Area

pytestmark = pytest.mark.django_db


def benchmark(run) -> SimpleNamespace:
    return SimpleNamespace(__name__="benchmarks.bench_tiny", run=run)


def areas_count_queries() -> int:
    return count_queries(lambda: Area.objects.count())


def test_an_impossible_goal_makes_the_run_fail():
    def run():
        seconds = best_seconds(lambda: Area.objects.count(), runs=3, warmup=1)
        return [Goal("counting areas", seconds, 0, unit=" s", comparison=AT_MOST, runs="best of 3")]

    out = io.StringIO()
    assert run_benchmarks([benchmark(run)], out=out) == 1
    assert "MISSED" in out.getvalue()
    assert "1 goal(s) missed" in out.getvalue()


def test_a_query_count_that_differs_from_its_reference_makes_the_run_fail():
    def run():
        return [Goal("queries", areas_count_queries(), 0, comparison=EQUAL)]

    assert run_benchmarks([benchmark(run)], out=io.StringIO()) == 1


def test_goals_that_are_met_let_the_run_pass_and_print_goal_reference_and_runs():
    def run():
        return [
            Row("just a figure", "12"),
            Goal(
                "queries",
                areas_count_queries(),
                1,
                comparison=EQUAL,
                runs="best of 3",
                reference="bare SQL, 1 query",
            ),
        ]

    out = io.StringIO()
    assert run_benchmarks([benchmark(run)], out=out) == 0
    line = next(x for x in out.getvalue().splitlines() if x.startswith("queries"))
    assert "met" in line
    assert "goal equal to 1" in line
    assert "best of 3" in line
    assert "reference: bare SQL, 1 query" in line
    assert "every goal met" in out.getvalue()


def test_one_missed_goal_among_met_ones_still_fails_the_run():
    def passing():
        return [Goal("easy", 1, 2)]

    def failing():
        return [Goal("easy", 1, 2), Goal("hard", 2, 1)]

    assert run_benchmarks([benchmark(passing), benchmark(failing)], out=io.StringIO()) == 1


def test_a_benchmark_that_breaks_fails_the_run():
    def run():
        raise RuntimeError("the page answered 500")

    out = io.StringIO()
    assert run_benchmarks([benchmark(run)], out=out) == 1
    assert "did not finish" in out.getvalue()


@pytest.mark.parametrize(
    ("large_seconds", "large_queries", "missed"),
    [
        pytest.param(0.011, 11, "a page: queries at large", id="queries-grow-with-the-data"),
        pytest.param(0.015, 10, "a page: time, large / small", id="slows-with-the-data"),
    ],
)
def test_a_page_that_grows_with_the_data_misses_that_goal_only(
    large_seconds, large_queries, missed
):
    rows = page_goals(
        "a page",
        small="small",
        large="large",
        seconds={"small": 0.010, "large": large_seconds},
        queries={"small": 10, "large": large_queries},
        floor={"small": 0.005, "large": 0.005},
    )
    goals = {r.name: r for r in rows if isinstance(r, Goal)}
    for name in ("a page: time, large / small", "a page: queries at large"):
        assert bool(goals[name].met) == (name != missed), name
