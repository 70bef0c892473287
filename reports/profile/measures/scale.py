"""Scale: young people open, new referrals, missing episodes and young people
missing repeatedly, month by month, beside the same months a year before.

Scope: a young person is open in a month when a case of theirs overseen by
the district (``Case.area``) was open on some day of it; a referral belongs
to its ``area`` (the queue); an episode to the young person's ``area`` (as in
the commissioner report's missing section), in the month it starts.

Repeat missing is the commissioner report's definition
(reports/measures/missing.py): settings.MISSING_REPEAT_COUNT episodes
starting within MISSING_REPEAT_DAYS days, the last of them starting in the
month, counted by the same statement.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from django.conf import settings
from django.db import connections
from django.db.models import Q

from cse_cases.models import Case, MissingEpisode
from cse_cases.working_days import LONDON
from referrals.models import Referral
from reports.measures.conditions import condition_counts
from reports.measures.missing import REPEATS, repeat_parameters
from reports.profile.context import ProfileContext
from reports.tables import Row, Section, Table


def _at(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def _monthly(ctx: ProfileContext, counts: dict[str, int], **table: object) -> Table:
    rows = tuple(
        Row(label, (counts[f"now_{i}"], counts[f"before_{i}"]), in_total=False)
        for i, (label, *_) in enumerate(ctx.months())
    )
    return Table(
        columns=(ctx.period.label, ctx.year_before_label),
        rows=rows,
        column_totals=False,
        chart="line",
        row_heading="Month",
        **table,  # type: ignore[arg-type]
    )


def _cells(ctx: ProfileContext, between: Callable[[date, date], Q]) -> dict[str, Q]:
    cells: dict[str, Q] = {}
    for i, (_, start, end, before_start, before_end) in enumerate(ctx.months()):
        cells[f"now_{i}"] = between(start, end)
        cells[f"before_{i}"] = between(before_start, before_end)
    return cells


def open_young_people(ctx: ProfileContext) -> Table:
    def open_between(start: date, end: date) -> Q:
        return Q(opened_on__lt=end) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))

    cases = Case.objects.using(ctx.using).filter(area_id__in=ctx.area_ids)
    counts = condition_counts(cases, _cells(ctx, open_between), distinct="young_person")
    return _monthly(
        ctx,
        counts,
        key="profile.scale.open",
        title="Young people open to the service, by month",
        note="Young people with a case open on at least one day of the month; each "
        "once a month, however many cases they had.",
    )


def new_referrals(ctx: ProfileContext) -> Table:
    def received_between(start: date, end: date) -> Q:
        return Q(received_at__gte=_at(start), received_at__lt=_at(end))

    referrals = Referral.objects.using(ctx.using).filter(area_id__in=ctx.area_ids)
    counts = condition_counts(referrals, _cells(ctx, received_between))
    return _monthly(
        ctx,
        counts,
        key="profile.scale.referrals",
        title="New referrals, by month",
        unit="referrals",
        note="Referrals received in the month, identified young person or not.",
    )


def missing_episodes(ctx: ProfileContext) -> Table:
    def started_between(start: date, end: date) -> Q:
        return Q(last_seen_at__gte=_at(start), last_seen_at__lt=_at(end))

    episodes = MissingEpisode.objects.using(ctx.using).filter(
        young_person__area_id__in=ctx.area_ids
    )
    counts = condition_counts(episodes, _cells(ctx, started_between))
    return _monthly(
        ctx,
        counts,
        key="profile.scale.missing",
        title="Missing episodes, by month",
        unit="episodes",
        note="Episodes of going missing or being absent that started in the month.",
    )


def _repeat_sql() -> str:
    # The commissioner report's statement, counted per month: a young person
    # is in a month when an episode starting in it completes a run.
    return f"""
        WITH windows AS (
            SELECT * FROM unnest(%(keys)s::text[], %(starts)s::timestamptz[],
                                 %(ends)s::timestamptz[]) AS w(key, starts, ends)
        ), {REPEATS}
        SELECT w.key, count(DISTINCT r.young_person_id)
        FROM windows w
        JOIN repeats r ON r.repeat AND r.last_seen_at >= w.starts AND r.last_seen_at < w.ends
        GROUP BY w.key
    """  # noqa: S608 - the statement is constant; values are parameters


def repeat_missing(ctx: ProfileContext) -> Table:
    count, days = settings.MISSING_REPEAT_COUNT, settings.MISSING_REPEAT_DAYS
    keys, starts, ends = [], [], []
    for i, (_, start, end, before_start, before_end) in enumerate(ctx.months()):
        keys += [f"now_{i}", f"before_{i}"]
        starts += [_at(start), _at(before_start)]
        ends += [_at(end), _at(before_end)]
    counts = dict.fromkeys(keys, 0)
    params = {
        "keys": keys,
        "starts": starts,
        "ends": ends,
        **repeat_parameters(ctx.area_ids, min(starts), max(ends)),
    }
    with connections[ctx.using].cursor() as cursor:
        cursor.execute(_repeat_sql(), params)
        counts.update(dict(cursor.fetchall()))
    return _monthly(
        ctx,
        counts,
        key="profile.scale.repeat_missing",
        title=f"Young people missing repeatedly ({count} or more episodes in {days} days), "
        "by month",
        note=f"{count} or more episodes starting within {days} days of each other, the last "
        "of them starting in the month (the earlier ones may be before it).",
    )


def section(ctx: ProfileContext) -> Section:
    return Section(
        key="scale",
        title="Scale",
        summary="How many young people the service is open to, new referrals and missing "
        "episodes, each month, beside the same month a year before.",
        tables=(
            open_young_people(ctx),
            new_referrals(ctx),
            missing_episodes(ctx),
            repeat_missing(ctx),
        ),
    )
