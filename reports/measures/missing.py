"""Missing: episodes of going missing or being absent, the young people
missing, and those missing repeatedly.

Scope: an episode belongs to the young person's ``area`` (the district the
drift engine's missing rules use), and falls in the period it starts in
(``last_seen_at``).

Repeat missing uses the thresholds that raise a repeat-missing review
(settings.MISSING_REPEAT_COUNT episodes within MISSING_REPEAT_DAYS days, 3
in 90 by default; cse_cases.services.missing.repeat_check). A young person
is counted in a period when an episode of theirs that starts in the period
completes such a run: it and the two before it start at most 90 days apart
(a child whose episodes all came before the period is not counted in it,
however recent they were). The database finds them with a window function
(the episode two before each one, ``lag``), in one statement; the problem
profile counts its months with the same statement (``REPEATS``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections
from django.db.models import Q

from cse_cases.models import MissingEpisode, YoungPerson
from cse_cases.models.missing import MissingOrAbsent
from reports.context import ReportContext
from reports.measures.conditions import Part, by_condition
from reports.tables import Row, Section, Table


def episodes(ctx: ReportContext) -> Table:
    return by_condition(
        ctx,
        MissingEpisode.objects.using(ctx.using).filter(young_person__area_id__in=ctx.area_ids),
        date_field="last_seen_at",
        parts=(
            Part("Missing", Q(missing_or_absent=MissingOrAbsent.MISSING)),
            Part("Absent", Q(missing_or_absent=MissingOrAbsent.ABSENT)),
            Part(
                "of which: an exploitation concern was noted",
                Q(exploitation_concern=True),
                in_total=False,
            ),
        ),
        key="missing.episodes",
        title="Missing episodes",
        row_heading="Episode",
        unit="episodes",
        note="Episodes that started in the period (when the young person was last seen), "
        "as the police classified them.",
    )


# The districts' episodes from %(scan_from)s (less the window, so that the
# episodes before it are there for lag) to %(scan_to)s, each marked
# ``repeat`` when it completes a run of %(back)s + 1 within %(window)s.
# Common table expressions, to follow a WITH (and a comma when more follow).
REPEATS = f"""
    scoped AS (
        SELECT e.young_person_id, e.last_seen_at,
               lag(e.last_seen_at, %(back)s) OVER (
                   PARTITION BY e.young_person_id ORDER BY e.last_seen_at
               ) AS earliest
        FROM {MissingEpisode._meta.db_table} e
        JOIN {YoungPerson._meta.db_table} y ON y.id = e.young_person_id
        WHERE y.area_id = ANY(%(areas)s)
          AND e.last_seen_at >= %(scan_from)s::timestamptz - %(window)s
          AND e.last_seen_at < %(scan_to)s
    ), repeats AS (
        SELECT young_person_id, last_seen_at, earliest,
               earliest IS NOT NULL AND last_seen_at - earliest <= %(window)s AS repeat
        FROM scoped
    )
"""  # noqa: S608 - table names are constants; values are parameters


def repeat_parameters(area_ids: tuple[int, ...], scan_from: datetime, scan_to: datetime) -> dict:
    return {
        "back": settings.MISSING_REPEAT_COUNT - 1,
        "areas": list(area_ids),
        "window": timedelta(days=settings.MISSING_REPEAT_DAYS),
        "scan_from": scan_from,
        "scan_to": scan_to,
    }


def _young_people_sql() -> str:
    return f"""
        WITH {REPEATS}
        SELECT
            count(DISTINCT young_person_id) FILTER (
                WHERE last_seen_at >= %(now_start)s AND last_seen_at < %(now_end)s),
            count(DISTINCT young_person_id) FILTER (
                WHERE last_seen_at >= %(before_start)s AND last_seen_at < %(now_start)s),
            -- A window ends with the episode that completes it, which must
            -- itself start in the period: a child whose episodes all came
            -- before the period is not counted in it.
            count(DISTINCT young_person_id) FILTER (
                WHERE repeat AND last_seen_at >= %(now_start)s AND last_seen_at < %(now_end)s),
            count(DISTINCT young_person_id) FILTER (
                WHERE repeat AND last_seen_at >= %(before_start)s
                  AND last_seen_at < %(now_start)s)
        FROM repeats
    """  # noqa: S608 - table names are constants; values are parameters


def young_people(ctx: ReportContext) -> Table:
    count = settings.MISSING_REPEAT_COUNT
    days = settings.MISSING_REPEAT_DAYS
    params = {
        **repeat_parameters(ctx.area_ids, ctx.previous.start_at, ctx.period.end_at),
        "now_start": ctx.period.start_at,
        "now_end": ctx.period.end_at,
        "before_start": ctx.previous.start_at,
    }
    with connections[ctx.using].cursor() as cursor:
        cursor.execute(_young_people_sql(), params)
        missing_now, missing_before, repeat_now, repeat_before = cursor.fetchone()
    return Table(
        key="missing.young_people",
        title="Young people missing or absent",
        row_heading="Young people",
        columns=ctx.columns,
        rows=(
            Row("Went missing or were absent", (missing_now, missing_before), in_total=False),
            Row(
                f"Missing repeatedly ({count} or more episodes in {days} days)",
                (repeat_now, repeat_before),
                in_total=False,
            ),
        ),
        column_totals=False,
        percentages=False,
        note=f"Missing repeatedly: {count} or more episodes starting within {days} days of "
        "each other, the last of them in the period (so the earlier ones may be before "
        "it). A young person can be in both rows.",
    )


def section(ctx: ReportContext) -> Section:
    return Section(
        key="missing",
        title="Missing",
        summary="Episodes of going missing or being absent, and the young people missing "
        "repeatedly.",
        tables=(episodes(ctx), young_people(ctx)),
    )
