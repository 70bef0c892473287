"""Every write about reports: asking for one, computing it, expiring it.

Computing runs in a Celery worker (reports.tasks.run_report). It reads from
``settings.REPORTS_DATABASE`` (the replica when one is named) and writes the
run's progress on the main database, each step committed at once so the
progress bar moves while the report is made.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cse_cases import access, audit
from cse_cases.models import AuditAction, User
from reports import background
from reports.context import ReportContext
from reports.disclosure import publish_section, threshold
from reports.measures import compute_section, sections
from reports.models import IN_PROGRESS, ReportRun, RunStatus
from reports.period import FIRST_YEAR, MAX_PERIOD_YEARS, Period
from reports.published import from_dict, to_dict

log = logging.getLogger(__name__)

RUN_TASK = "reports.tasks.run_report"
# A run whose worker has not reported progress for this long has lost it
# (every step refreshes started_at, a heartbeat).
ABANDONED_AFTER = timedelta(minutes=30)
# Reports one person may have queued or running at once: a script cannot
# fill the workers and the replica with distinct requests.
MAX_IN_PROGRESS = 5


class ReportRequestError(ValueError):
    """A request the service refuses, with a message for the person and the
    form field it is about."""

    def __init__(self, message: str, *, field: str = "__all__") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Requested:
    run: ReportRun
    # False when the same report was already queued or running: the
    # requester is given that one instead of a second.
    created: bool


def check_period(period: Period, *, today: date) -> None:
    if period.end < period.start:
        raise ReportRequestError("The period must end on or after the day it starts.", field="end")
    if period.start.year < FIRST_YEAR:
        raise ReportRequestError(
            f"Harbour holds no records before {FIRST_YEAR}: choose a later period.", field="start"
        )
    if period.start > today:
        raise ReportRequestError(
            "The period starts in the future: choose one that has begun.", field="start"
        )
    if period.end > today:
        raise ReportRequestError(
            f"The period ends in the future ({period.end:%-d %B %Y}): choose one that has ended.",
            field="end",
        )
    if period.end >= period.start + relativedelta(years=MAX_PERIOD_YEARS):
        raise ReportRequestError(
            f"A report covers at most {MAX_PERIOD_YEARS} years: choose a shorter period.",
            field="end",
        )
    # Whole months only. Rounding hides a small count in one table, but two
    # periods a day apart (or a single day) would let their difference give
    # one child's referral away (review finding): dates start on the first of
    # a month and end on the last day of one.
    if period.start.day != 1:
        raise ReportRequestError(
            "Start on the first day of a month: reports cover whole months, so that "
            "comparing overlapping periods cannot reveal a single young person.",
            field="start",
        )
    if (period.end + timedelta(days=1)).day != 1:
        raise ReportRequestError(
            "End on the last day of a month: reports cover whole months, so that comparing "
            "overlapping periods cannot reveal a single young person.",
            field="end",
        )


def report_request(*, user: User, area_ids: list[int], period: Period) -> Requested:
    """Ask for a report; the same one already in progress is given instead.

    The areas are checked by the policy (404 for an area the person does not
    commission for). The task is sent on commit; if the broker cannot take it
    the run stays queued and ``report_requeue_stale`` sends it again, so
    nothing asked for is lost while the worker or broker is down.
    """
    areas = access.areas_for_report(user, area_ids)
    check_period(period, today=timezone.localdate())
    key = {
        "requested_by": user,
        "area_ids": sorted(area.pk for area in areas),
        "period_kind": period.kind,
        "period_start": period.start,
        "period_end": period.end,
    }
    try:
        with transaction.atomic():
            existing = ReportRun.objects.filter(status__in=IN_PROGRESS, **key).first()
            if existing is not None:
                return Requested(existing, created=False)
            busy = ReportRun.objects.filter(requested_by=user, status__in=IN_PROGRESS).count()
            if busy >= MAX_IN_PROGRESS:
                raise ReportRequestError(
                    f"You already have {busy} reports being made. Wait for one to finish "
                    "before asking for another."
                )
            run = ReportRun.objects.create(**key)
            audit.record(
                user=user,
                action=AuditAction.EXPORT,
                obj=run,
                object_type="report",
                detail=f"Asked for a report: {period.label}, "
                + ", ".join(area.name for area in areas),
            )
            transaction.on_commit(lambda: background.send_quietly(RUN_TASK, run.pk))
    except IntegrityError:
        # Another request for the same report committed between our check and
        # our insert (the partial unique constraint): give that one.
        running = ReportRun.objects.filter(**key).order_by("-requested_at").first()
        if running is None:  # it finished and was removed in between: ask again
            return report_request(user=user, area_ids=area_ids, period=period)
        return Requested(running, created=False)
    return Requested(run, created=True)


def _step(run: ReportRun, progress: int, stage: str, **fields: object) -> None:
    # A plain UPDATE, committed at once (the task runs outside a transaction),
    # so the status endpoint sees it.
    ReportRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
        progress=progress, stage=stage, started_at=timezone.now(), **fields
    )


def report_compute(*, run_id: int, today: date | None = None) -> bool:
    """Compute the figures, publish them, make the PDF, tell the requester.

    Safe to run twice (the task acknowledges late): a run that is not queued
    or running (done, failed, expired) is left alone.
    """
    # Claim the run in one UPDATE, so a requeued copy of the task arriving
    # while the first runs does nothing; a run left "running" by a worker
    # that died is claimed again once it is plainly abandoned.
    claimed = (
        ReportRun.objects.filter(pk=run_id)
        .filter(
            Q(status=RunStatus.QUEUED)
            | Q(status=RunStatus.RUNNING, started_at__lt=timezone.now() - ABANDONED_AFTER)
        )
        .update(status=RunStatus.RUNNING, started_at=timezone.now(), progress=1, stage="Starting")
    )
    if not claimed:
        return False
    run = ReportRun.objects.get(pk=run_id)
    period = Period(run.period_kind, run.period_start, run.period_end)
    ctx = ReportContext(
        area_ids=tuple(run.area_ids),
        period=period,
        using=settings.REPORTS_DATABASE,
        today=today or timezone.localdate(),
    )
    try:
        builders = sections()
        published = []
        limit = threshold()
        for index, build in enumerate(builders):
            section = compute_section(build, ctx)
            published.append(to_dict(publish_section(section, threshold=limit)))
            _step(run, 5 + int(75 * (index + 1) / len(builders)), f"Counted: {section.title}")
        _step(run, 85, "Making the PDF", result=published)
        run.refresh_from_db()
        from reports.pdf import report_pdf  # WeasyPrint is heavy: load it in the worker only

        pdf = report_pdf(run, [from_dict(section) for section in published])
        run.pdf.save(f"harbour-report-{run.pk}.pdf", ContentFile(pdf), save=False)
        now = timezone.now()
        finished = ReportRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            pdf=run.pdf.name,
            status=RunStatus.DONE,
            progress=100,
            stage="Ready",
            finished_at=now,
            expires_at=now + timedelta(days=settings.REPORTS_KEEP_DAYS),
        )
        if not finished:  # another worker finished it meanwhile: keep theirs
            run.pdf.delete(save=False)
            return False
    except Exception:
        log.exception("Report %s failed", run.pk)
        if run.pdf:
            run.pdf.delete(save=False)
        # A failed run keeps no figures: only a finished one holds them.
        ReportRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            result=None,
            pdf="",
            stage="Failed",
            finished_at=timezone.now(),
            failure="The report could not be made. Ask for it again; if it fails again, "
            "tell your administrator.",
        )
        return False
    _notify(run)
    return True


def _notify(run: ReportRun) -> None:
    # A link, never a figure: email leaves the partnership's systems.
    user = run.requested_by
    if not user.email:
        return
    link = settings.SITE_URL + reverse("report-run", args=[run.pk])
    send_mail(
        subject="Your Harbour report is ready",
        message=render_to_string("emails/report_ready.txt", {"user": user, "link": link}),
        from_email=None,
        recipient_list=[user.email],
    )


def report_downloaded(*, user: User, run: ReportRun, what: str) -> None:
    audit.record(
        user=user,
        action=AuditAction.EXPORT,
        obj=run,
        object_type="report",
        detail=f"Downloaded the report's {what}",
    )


def report_viewed(*, user: User, run: ReportRun) -> None:
    audit.record(
        user=user, action=AuditAction.VIEW, obj=run, object_type="report", detail="Report page"
    )


def expire_if_due(run: ReportRun) -> ReportRun:
    """On every read: a finished run past its expiry is expired now, even if
    the daily beat has not run yet."""
    if run.status == RunStatus.DONE and run.expires_at and run.expires_at <= timezone.now():
        report_expire(now=timezone.now(), run_ids=[run.pk])
        run.refresh_from_db()
    return run


def report_expire(*, now: datetime | None = None, run_ids: list[int] | None = None) -> int:
    """Delete the figures and files of runs past their expiry (beat, daily).

    The status flips first, in one conditional UPDATE per run, so a download
    never finds a finished run without its file; a file that cannot be
    deleted is logged and the rest go on."""
    now = now or timezone.now()
    expired = 0
    due = ReportRun.objects.filter(status=RunStatus.DONE, expires_at__lte=now).only("pk", "pdf")
    if run_ids is not None:
        due = due.filter(pk__in=run_ids)
    for run in due:
        name = run.pdf.name
        if not ReportRun.objects.filter(pk=run.pk, status=RunStatus.DONE).update(
            status=RunStatus.EXPIRED, result=None, pdf="", stage="Expired"
        ):
            continue
        expired += 1
        if name:
            try:
                run.pdf.storage.delete(name)
            except OSError:
                log.exception("Could not delete the file of expired report %s", run.pk)
    return expired


def report_requeue_stale(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Send again the runs still queued after a while (the broker was down when
    they were asked for). Running twice is harmless: report_compute skips a
    run that is no longer queued or running."""
    stale = ReportRun.objects.filter(
        status=RunStatus.QUEUED, requested_at__lte=timezone.now() - older_than
    ).values_list("pk", flat=True)
    sent = 0
    for run_id in stale[:500]:
        sent += background.send_quietly(RUN_TASK, run_id)
    return sent
