"""Flags: the drift engine's record that a clock has run out for something.

One open flag per rule and subject (a database constraint), so sweeps that
run twice, or at the same time, or after a worker died half-way, raise each
flag once. A flag resolves itself when its rule stops matching; it escalates
to the supervisor (and, at high risk, the district's CSE leads) when it stays
open too long.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cse_cases.models import Area, Team, YoungPerson


class Escalation(models.IntegerChoices):
    NONE = 0, "Not escalated"
    SUPERVISOR = 1, "Escalated to the supervisor"
    CSE_LEAD = 2, "Escalated to the CSE lead"


class Flag(models.Model):
    # Not a column: the rule's label, set by supervision.selectors.open_flags_about.
    label: str

    kind = models.CharField(max_length=40)
    # What the flag is about: a rule names its subject type; the id is the
    # subject's primary key (referral, missing episode, case, meeting...).
    subject_type = models.CharField(max_length=40)
    subject_id = models.BigIntegerField()
    # For the access policy: whose record it concerns, and which district.
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="flags",
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    high_risk = models.BooleanField(default=False)
    raised_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    escalation = models.PositiveSmallIntegerField(
        choices=Escalation.choices, default=Escalation.NONE
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            # Also the sweep's read of a rule's open flags: the included
            # columns are the id and those it compares, so (once vacuumed)
            # it reads the index alone.
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"],
                condition=models.Q(resolved_at__isnull=True),
                include=["id", "owner", "high_risk", "due_at", "young_person", "area", "team"],
                name="flag_one_open_per_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True) | ~models.Q(resolution=""),
                name="flag_resolved_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["owner", "due_at"],
                condition=models.Q(resolved_at__isnull=True),
                name="flag_open_owner_idx",
            ),
            models.Index(
                fields=["area", "kind"],
                condition=models.Q(resolved_at__isnull=True),
                name="flag_open_area_idx",
            ),
            models.Index(
                fields=["team", "kind"],
                condition=models.Q(resolved_at__isnull=True),
                name="flag_open_team_idx",
            ),
            # Escalation reads only the flags still waiting for it: after the
            # first sweep, few or none.
            models.Index(
                fields=["due_at"],
                condition=models.Q(resolved_at__isnull=True, escalation=0),
                name="flag_to_supervisor_idx",
            ),
            models.Index(
                fields=["due_at"],
                condition=models.Q(resolved_at__isnull=True, high_risk=True, escalation__lt=2),
                name="flag_to_cse_lead_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.subject_type} {self.subject_id}"

    @property
    def open(self) -> bool:
        return self.resolved_at is None


class SweepRun(models.Model):
    """One sweep of the drift engine: when it started and finished, and what it
    changed. The pages read the last finished sweep of every rule to say when
    work was last checked, so an empty list is never taken for "nothing
    overdue" before the engine has looked (or when it has stopped looking).

    A row is written when a sweep starts and updated when it finishes; a row
    with no finish is a sweep still running, or one whose worker died (the next
    sweep completes its work). Rows older than `SWEEP_RUNS_KEPT_DAYS` are
    deleted as each sweep finishes."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # False when only some rules were swept (by hand, or in tests): such a
    # sweep does not say everything was checked.
    every_rule = models.BooleanField(default=True)
    raised = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [
            # The pages' read: the last finished sweep of every rule.
            models.Index(
                fields=["-finished_at"],
                condition=models.Q(every_rule=True, finished_at__isnull=False),
                name="sweeprun_last_finished_idx",
            ),
            # Pruning.
            models.Index(fields=["started_at"], name="sweeprun_started_idx"),
        ]

    def __str__(self) -> str:
        return f"Sweep started {self.started_at:%Y-%m-%d %H:%M:%S}"


# The app's other models live in its sub-packages; Django finds them here.
from supervision.caseloads.models import (  # noqa: E402
    FACTOR_POINT_FIELDS,
    RISK_POINT_FIELDS,
    CaseAllocation,
    CaseLoadFactors,
    WeightingScheme,
    WorkerProfile,
)
from supervision.sessions.models import (  # noqa: E402
    PRIVATE_FIELDS,
    CaseDiscussion,
    SessionFormat,
    SupervisionSession,
)

__all__ = [
    "FACTOR_POINT_FIELDS",
    "PRIVATE_FIELDS",
    "RISK_POINT_FIELDS",
    "CaseAllocation",
    "CaseDiscussion",
    "CaseLoadFactors",
    "Escalation",
    "Flag",
    "SessionFormat",
    "SupervisionSession",
    "SweepRun",
    "WeightingScheme",
    "WorkerProfile",
]
