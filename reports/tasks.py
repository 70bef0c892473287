"""Report tasks: thin, load by id, call a service, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from reports import services


@shared_task(name="reports.tasks.run_report", acks_late=True)
def run_report(run_id: int) -> bool:
    return services.report_compute(run_id=run_id)


@shared_task(name="reports.tasks.expire_reports")
def expire_reports() -> int:
    """Daily (beat): remove report files and figures after REPORTS_KEEP_DAYS."""
    return services.report_expire()


@shared_task(name="reports.tasks.requeue_reports")
def requeue_reports() -> int:
    """Every few minutes (beat): send again reports asked for while the broker was down."""
    return services.report_requeue_stale()
