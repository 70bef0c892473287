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
