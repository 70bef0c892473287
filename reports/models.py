"""A commissioner's report: asked for, computed in the background, kept 30 days.

A run stores only what disclosure control published (``result``), never a raw
count, and its files live in private storage: a run is the requester's alone
(cse_cases/access/reports.py).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone

from reports.period import PeriodKind


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


def private_storage():
    # Outside every served folder: a file reaches a browser only through the
    # download view, which asks the access policy.
    return storages["private"]


# While a run is queued or running, asking for the same report again gives it.
IN_PROGRESS = (RunStatus.QUEUED, RunStatus.RUNNING)


class ReportRun(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_runs"
    )
    # Sorted area ids: with the period, what makes two requests "the same report".
    area_ids = ArrayField(models.BigIntegerField())
    period_kind = models.CharField(max_length=10, choices=PeriodKind.CHOICES)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    # 0 to 100, and what the worker is doing, for the progress bar.
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=100, blank=True)
    # The published sections (reports.published.to_dict), in catalogue order.
    result = models.JSONField(null=True, blank=True)
    pdf = models.FileField(storage=private_storage, upload_to="reports/%Y/%m/", blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Shown to the requester when a run fails: never a traceback or a figure.
    failure = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_ends_after_start",
            ),
            # Two clicks (or two tabs) while one runs give the running one,
            # even when they arrive at the same moment.
            models.UniqueConstraint(
                fields=["requested_by", "area_ids", "period_kind", "period_start", "period_end"],
                condition=models.Q(status__in=IN_PROGRESS),
                name="report_one_running_per_request",
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-requested_at"], name="report_requester_idx"),
            models.Index(
                fields=["expires_at"],
                condition=models.Q(status=RunStatus.DONE),
                name="report_expiry_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.get_status_display()})"
