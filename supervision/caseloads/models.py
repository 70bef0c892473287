"""Caseloads: the weighting scheme, each worker's capacity, the facts about a
case that weigh on its load, and the record of every (re)allocation.

A weighting scheme is data with a version, like an assessment template: a
published version is never edited, a new one supersedes it, and every load
says which version weighed it. Factors that Harbour already knows (how many
agencies are around the child, missing episodes, an out-of-area placement) are
derived from the record when the load is computed; only what the record
cannot tell (criminal proceedings, travel, a sibling group) is recorded here.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from cse_cases.models import Case

POINTS = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(0)]}

# The scheme's point columns, in the order the form and the breakdown show them.
RISK_POINT_FIELDS = ("points_not_assessed", "points_low", "points_medium", "points_high")
FACTOR_POINT_FIELDS = (
    "points_many_agencies",
    "points_recent_missing",
    "points_criminal_proceedings",
    "points_out_of_area",
    "points_travel",
    "points_sibling_group",
)


class WeightingScheme(models.Model):
    version = models.PositiveIntegerField(unique=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rationale = models.TextField("what changed and why")

    # Points for the case's risk level.
    points_not_assessed = models.DecimalField("not yet assessed", default=Decimal(1), **POINTS)
    points_low = models.DecimalField("low risk", default=Decimal(1), **POINTS)
    points_medium = models.DecimalField("medium risk", default=Decimal(2), **POINTS)
    points_high = models.DecimalField("high risk", default=Decimal(3), **POINTS)

    # Points added for each factor, and the thresholds of derived ones.
    many_agencies_at = models.PositiveSmallIntegerField(
        "agencies that count as many",
        default=4,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
    )
    points_many_agencies = models.DecimalField(
        "many agencies involved", default=Decimal(1), **POINTS
    )
    recent_missing_days = models.PositiveSmallIntegerField(
        "days a missing episode counts for",
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    points_recent_missing = models.DecimalField(
        "recent missing episodes", default=Decimal(1), **POINTS
    )
    points_criminal_proceedings = models.DecimalField(
        "criminal proceedings under way", default=Decimal(1), **POINTS
    )
    points_out_of_area = models.DecimalField("placed out of area", default=Decimal(1), **POINTS)
    travel_minutes_at = models.PositiveSmallIntegerField(
        "travel (minutes each way) that counts",
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    points_travel = models.DecimalField("long travel", default=Decimal("0.5"), **POINTS)
    points_sibling_group = models.DecimalField("sibling group", default=Decimal("0.5"), **POINTS)

    # A case someone is in the team around the child for, but does not lead,
    # counts this share of its points to them.
    member_weight = models.DecimalField(
        "share of a case's points for a team member who is not lead",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.25"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )

    class Meta:
        ordering = ["-version"]
        permissions = [("publish_weightingscheme", "Can publish a caseload weighting scheme")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    **{f"{name}__gte": 0 for name in RISK_POINT_FIELDS + FACTOR_POINT_FIELDS}
                ),
                name="weighting_points_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(member_weight__gte=0, member_weight__lte=1),
                name="weighting_member_weight_share",
            ),
        ]

    def __str__(self) -> str:
        return f"Weighting scheme version {self.version}"


class WorkerProfile(models.Model):
    """What a supervisor agrees with a worker: hours, capacity, and when they
    began practice (the supervision frequency depends on it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="worker_profile",
    )
    weekly_hours = models.DecimalField(
        "hours a week",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(48)],
    )
    # Points a full-time worker carries; scaled by weekly_hours / full time.
    capacity_points = models.DecimalField(
        "capacity (points, full time)",
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    practice_started_on = models.DateField(
        "started practice on",
        null=True,
        blank=True,
        help_text="For a newly qualified worker, the supervision frequency depends on it.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekly_hours__gt=0, weekly_hours__lte=48),
                name="worker_hours_in_week",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity_points__gt=0), name="worker_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.weekly_hours} hours, {self.capacity_points} points"


class CaseLoadFactors(models.Model):
    """What makes a case heavier that the record cannot tell by itself."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="load_factors"
    )
    criminal_proceedings = models.BooleanField("criminal proceedings under way", default=False)
    sibling_group = models.BooleanField("part of a sibling group being worked with", default=False)
    travel_minutes = models.PositiveSmallIntegerField(
        "travel to see the young person (minutes each way)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(600)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "case load factors"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(travel_minutes__isnull=True) | models.Q(travel_minutes__lte=600),
                name="case_travel_minutes_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"Load factors of case {self.case_id}"


class CaseAllocation(models.Model):
    """A case given to a lead professional, or moved from one to another, and
    why. The lead professional spells (cse_cases) say who led when; this says
    who decided a move and the reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allocations")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-allocated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_user=models.F("to_user")),
                name="allocation_moves_to_someone_else",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="allocation_has_reason"),
        ]
        indexes = [models.Index(fields=["case", "-allocated_at"], name="allocation_case_idx")]

    def __str__(self) -> str:
        return f"Case {self.case_id} to {self.to_user} ({self.allocated_at:%d %b %Y})"
