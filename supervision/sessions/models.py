"""Reflective supervision on the 4x4x4 model: management (the cases discussed,
with the decision and actions agreed), development, support (wellbeing, the
emotional impact of the work, workload) and mediation.

Who reads what is the access package's decision (cse_cases/access/supervision.py):
case discussions go onto each child's record for the team around the child;
development, support, mediation, the wellbeing check and the worker's
reflection are the supervisor's and the worker's alone.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from assessments.models import Action
from cse_cases.models import Case, Team

MAX_MINUTES = 8 * 60


class SessionFormat(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One-to-one"
    GROUP = "group", "Group"


# The parts only the pair reads, in the order the page shows them.
PRIVATE_FIELDS = (
    "development",
    "support",
    "mediation",
    "wellbeing_rating",
    "wellbeing_words",
    "worker_reflection",
)


class SupervisionSession(models.Model):
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sessions_held"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_sessions"
    )
    # The worker's team when the session was recorded: wellbeing figures count a
    # rating for the team it was given in, so a worker who joins later does not
    # change a quarter already shown (which would isolate their rating).
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    held_on = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField(
        "length (minutes)", validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)]
    )
    format = models.CharField(
        max_length=12, choices=SessionFormat.choices, default=SessionFormat.ONE_TO_ONE
    )
    # The private parts.
    development = models.TextField("development: learning and training needs", blank=True)
    support = models.TextField(
        "support: wellbeing, the emotional impact of the work, workload", blank=True
    )
    mediation = models.TextField("mediation: anything to take to the organisation", blank=True)
    wellbeing_rating = models.PositiveSmallIntegerField(
        "how the worker rates their wellbeing (1 to 5)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    wellbeing_words = models.TextField("the worker's own words about their wellbeing", blank=True)
    worker_reflection = models.TextField("the worker's reflection", blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1, duration_minutes__lte=MAX_MINUTES),
                name="session_duration_in_day",
            ),
            models.CheckConstraint(
                condition=models.Q(wellbeing_rating__isnull=True)
                | models.Q(wellbeing_rating__gte=1, wellbeing_rating__lte=5),
                name="session_wellbeing_one_to_five",
            ),
            models.CheckConstraint(
                condition=~models.Q(supervisor=models.F("worker")),
                name="session_not_with_oneself",
            ),
        ]
        indexes = [
            # The frequency rule and the team view: each worker's last session.
            models.Index(fields=["worker", "-held_on"], name="session_worker_last_idx"),
            models.Index(fields=["supervisor", "-held_on"], name="session_supervisor_idx"),
        ]

    def __str__(self) -> str:
        return f"Supervision of {self.worker} on {self.held_on:%d %b %Y}"


class CaseDiscussion(models.Model):
    """The management part: a case discussed, the decision, and the actions
    agreed (Actions with owners and due dates, on the child's record)."""

    session = models.ForeignKey(
        SupervisionSession, on_delete=models.CASCADE, related_name="case_discussions"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="supervision_discussions")
    decision = models.TextField("decision")
    actions = models.ManyToManyField(Action, blank=True, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "case"], name="discussion_case_once"),
            models.CheckConstraint(
                condition=~models.Q(decision=""), name="discussion_has_decision"
            ),
        ]
        indexes = [models.Index(fields=["case", "-recorded_at"], name="discussion_case_idx")]

    def __str__(self) -> str:
        return f"Case {self.case_id} in {self.session}"
