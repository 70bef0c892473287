"""See Me, Hear Me plans: one plan per case, reviewed into numbered versions.

Every review writes a new version; earlier versions stay as they were, so the
plan's history (and what changed at each review) can always be read.
Disruption and investigation is a required part of every version: it never
waits for a disclosure.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cse_cases.models import Case

# The plan's parts, in the order the page shows them, with their headings.
PLAN_SECTIONS = (
    ("needs_and_outcomes", "Needs and the outcomes wanted"),
    ("young_person_support", "Support for the young person"),
    ("parents_support", "Support for parents and carers"),
    ("family", "Siblings and family"),
    ("disruption_and_investigation", "Disruption and investigation"),
    ("health", "Health"),
    ("education", "Education"),
    ("accommodation", "Accommodation"),
    ("transition", "Transition to adult services (from 17 and a half)"),
    ("young_persons_views", "The young person's involvement and views, in their own words"),
)


class Plan(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="plan")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Plan for {self.case}"


class PlanVersion(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    needs_and_outcomes = models.TextField()
    young_person_support = models.TextField()
    # The named, consistent worker the young person can rely on.
    consistent_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    parents_support = models.TextField(blank=True)
    family = models.TextField(blank=True)
    disruption_and_investigation = models.TextField()
    health = models.TextField(blank=True)
    education = models.TextField(blank=True)
    accommodation = models.TextField(blank=True)
    # Due by 17 years 6 months (the drift engine's "turning 18" rule).
    transition = models.TextField(blank=True)
    young_persons_views = models.TextField(blank=True)
    review_on = models.DateField()
    review_notes = models.TextField("what the review found", blank=True)
    # The version in force; earlier ones are history.
    is_current = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique"),
            models.CheckConstraint(
                condition=~models.Q(disruption_and_investigation=""),
                name="plan_disruption_required",
            ),
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(is_current=True), name="plan_one_current"
            ),
        ]
        indexes = [
            # The drift engine's "plan review overdue" rule.
            models.Index(
                fields=["review_on"],
                condition=models.Q(is_current=True),
                name="plan_current_review_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Plan version {self.number}"
