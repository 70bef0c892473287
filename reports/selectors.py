"""Reads for the report pages, the API and the commissioner's home."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from cse_cases import access
from cse_cases.models import Area, User
from reports.models import ReportRun, RunStatus
from reports.period import Period
from reports.published import PublishedSection, from_dict

RECENT = 10


def recent_runs(user: User) -> QuerySet[ReportRun]:
    return access.report_runs_visible_to(user).order_by("-requested_at")[:RECENT]


def sections_of(run: ReportRun) -> list[PublishedSection]:
    """The published figures of a finished run, as every output renders them."""
    return [from_dict(section) for section in run.result or []]


def only_table(sections: list[PublishedSection], key: str) -> list[PublishedSection] | None:
    """The one section holding table ``key``, cut down to that table."""
    for section in sections:
        for table in section.tables:
            if table.key == key:
                return [PublishedSection(section.key, section.title, section.summary, (table,), ())]
    return None


def area_names(run: ReportRun) -> list[str]:
    # Names of the run's own areas, kept even if the commissioner's areas change.
    return list(
        Area.objects.filter(pk__in=run.area_ids).order_by("name").values_list("name", flat=True)
    )


def period_of(run: ReportRun) -> Period:
    return Period(run.period_kind, run.period_start, run.period_end)


def file_name(run: ReportRun, extension: str, table: str | None = None) -> str:
    period = period_of(run)
    stem = f"harbour-report-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}"
    if table:
        stem += "-" + table.replace(".", "-")
    return f"{stem}.{extension}"


def run_page(run: ReportRun) -> dict[str, Any]:
    period = period_of(run)
    return {
        "run": run,
        "period": period,
        "previous": period.previous(),
        "areas": area_names(run),
        "sections": sections_of(run) if run.status == RunStatus.DONE else [],
        "in_progress": run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
        **disclosure_terms(),
    }


def disclosure_terms() -> dict[str, int]:
    """What the pages say about disclosure control and keeping, from the settings."""
    return {
        "threshold": settings.REPORTS_SUPPRESSION_THRESHOLD,
        "keep_days": settings.REPORTS_KEEP_DAYS,
    }
