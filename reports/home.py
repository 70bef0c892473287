"""The commissioner's home: the latest headline figures for their areas, under
the same disclosure control as every report, and their recent reports.

The figures are the last complete month's, from the same kind of set-based
aggregates as the reports (four statements, whatever the data size), read
from ``REPORTS_DATABASE`` and kept in the cache for a quarter of an hour: a
home page is opened often and the figures move slowly.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from cse_cases import access
from cse_cases.models import Case, MissingEpisode, User
from referrals.models import Referral
from reports.disclosure import publish_table
from reports.period import Period
from reports.published import PublishedTable
from reports.selectors import disclosure_terms, recent_runs
from reports.tables import Row, Table

CACHE_SECONDS = 15 * 60
RECENT_ON_HOME = 5


def last_complete_month(today: date) -> Period:
    first = today.replace(day=1)
    last = first - timedelta(days=1)
    return Period.month(last.year, last.month)


def headline_table(area_ids: tuple[int, ...], period: Period, using: str) -> Table:
    previous = period.previous()

    def window(field: str, p: Period) -> Q:
        return Q(**{f"{field}__gte": p.start_at, f"{field}__lt": p.end_at})

    referrals = (
        Referral.objects.using(using)
        .filter(area_id__in=area_ids)
        .aggregate(
            now=Count("pk", filter=window("received_at", period)),
            before=Count("pk", filter=window("received_at", previous)),
        )
    )
    # Dated as the missing section dates them: by when the young person was
    # last seen, so the headline and the report agree on an episode that
    # started before midnight and was reported after it.
    missing = (
        MissingEpisode.objects.using(using)
        .filter(young_person__area_id__in=area_ids)
        .aggregate(
            now=Count("pk", filter=window("last_seen_at", period)),
            before=Count("pk", filter=window("last_seen_at", previous)),
            people_now=Count("young_person", filter=window("last_seen_at", period), distinct=True),
            people_before=Count(
                "young_person", filter=window("last_seen_at", previous), distinct=True
            ),
        )
    )

    def open_on(day: date) -> Q:
        return Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gte=day))

    cases = (
        Case.objects.using(using)
        .filter(area_id__in=area_ids)
        .aggregate(
            now=Count("young_person", filter=open_on(period.end), distinct=True),
            before=Count("young_person", filter=open_on(previous.end), distinct=True),
        )
    )
    return Table(
        key="home.headline",
        title=f"Headline figures, {period.label}",
        row_heading="Measure",
        columns=(period.label, previous.label),
        rows=(
            Row("Referrals received", (referrals["now"], referrals["before"]), in_total=False),
            Row(
                "Young people with an open case at the month's end",
                (cases["now"], cases["before"]),
                in_total=False,
            ),
            Row("Missing episodes reported", (missing["now"], missing["before"]), in_total=False),
            Row(
                "Young people reported missing",
                (missing["people_now"], missing["people_before"]),
                in_total=False,
            ),
        ),
        column_totals=False,
        chart="none",
        unit="count",
        note="Each row counts something different, so there is no total.",
    )


def headline(user: User, today: date) -> PublishedTable | None:
    area_ids = tuple(sorted(access.commissioned_areas(user).values_list("pk", flat=True)))
    if not area_ids:
        return None
    period = last_complete_month(today)
    key = f"reports:headline:{period.start}:{','.join(map(str, area_ids))}"
    published = cache.get(key)
    if published is None:
        published = publish_table(headline_table(area_ids, period, settings.REPORTS_DATABASE))
        cache.set(key, published, CACHE_SECONDS)
    return published


def widget(user: User) -> dict[str, Any]:
    return {
        "headline": headline(user, timezone.localdate()),
        "runs": list(recent_runs(user)[:RECENT_ON_HOME]),
        **disclosure_terms(),
    }
