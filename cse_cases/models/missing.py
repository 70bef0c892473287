"""Missing episodes and return home interviews.

Going missing is one of the strongest signs of exploitation. An episode runs
from when the young person was last seen to when they came back; the return
home interview is due 72 hours after they came back, by someone independent
of their carers and placement.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils import timezone

from cse_cases.models.young_people import YoungPerson

INTERVIEW_DUE_HOURS = 72
# An episode this long stands out on the record.
LONG_EPISODE_HOURS = 24


class PoliceRiskGrading(models.TextChoices):
    NO_APPARENT_RISK = "no_apparent_risk", "No apparent risk"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class MissingOrAbsent(models.TextChoices):
    MISSING = "missing", "Missing"
    ABSENT = "absent", "Absent"


class MissingFrom(models.TextChoices):
    HOME = "home", "Home"
    PLACEMENT = "placement", "Placement"


class HowReturned(models.TextChoices):
    CAME_BACK = "came_back", "Came back by themselves"
    FOUND_BY_POLICE = "found_by_police", "Found by police"
    BROUGHT_BY_FAMILY = "brought_by_family", "Brought back by family or carers"
    BROUGHT_BY_OTHER = "brought_by_other", "Brought back by someone else"
    OTHER = "other", "Other"


class EpisodeSource(models.TextChoices):
    RECORDED = "recorded", "Recorded in Harbour"
    POLICE_IMPORT = "police_import", "Police missing notification (import)"


class TsTzRange(Func):
    """PostgreSQL's tstzrange(lower, upper): the episode as a span of time."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class MissingEpisode(models.Model):
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="missing_episodes"
    )
    last_seen_at = models.DateTimeField("last seen")
    reported_at = models.DateTimeField("reported missing")
    returned_at = models.DateTimeField("returned or found", null=True, blank=True)
    where_found = models.TextField(blank=True, max_length=2000)
    found_with = models.TextField("who they were with", blank=True, max_length=2000)
    how_returned = models.CharField(max_length=20, choices=HowReturned.choices, blank=True)
    police_reference = models.CharField(max_length=50, blank=True)
    risk_grading = models.CharField(
        "police risk grading", max_length=20, choices=PoliceRiskGrading.choices
    )
    missing_or_absent = models.CharField(
        "missing or absent", max_length=10, choices=MissingOrAbsent.choices
    )
    classification_rationale = models.TextField(
        "why missing or absent", blank=True, max_length=5000
    )
    missing_from = models.CharField(max_length=10, choices=MissingFrom.choices)
    exploitation_concern = models.BooleanField("exploitation concern noted", default=False)
    exploitation_concern_detail = models.TextField(blank=True, max_length=5000)
    safe_and_well_check = models.BooleanField("police safe-and-well check done", default=False)
    source = models.CharField(
        max_length=16, choices=EpisodeSource.choices, default=EpisodeSource.RECORDED
    )
    # An imported row's identity, so the same file twice adds nothing.
    import_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-last_seen_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reported_at__gte=F("last_seen_at")),
                name="missing_reported_after_last_seen",
                violation_error_message="The report must come after the young person was last seen",
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | Q(returned_at__gte=F("reported_at")),
                name="missing_returned_after_reported",
                violation_error_message="The return must be after the young person was "
                "reported missing",
            ),
            # One young person cannot be missing twice at once: the database
            # refuses overlapping episodes (btree_gist).
            ExclusionConstraint(
                name="missing_episodes_do_not_overlap",
                violation_error_message="This overlaps another missing episode for this young "
                "person: correct the times, or update that episode instead",
                expressions=[
                    ("young_person", RangeOperators.EQUAL),
                    (
                        TsTzRange("last_seen_at", "returned_at", Value("[)")),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]
        indexes = [
            models.Index(fields=["young_person", "-last_seen_at"], name="missing_timeline_idx"),
            # Return interviews not yet done, by when they fall due (drift engine).
            models.Index(
                fields=["returned_at"],
                condition=Q(returned_at__isnull=False),
                name="missing_returned_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Missing from {self.last_seen_at:%d %b %Y %H:%M}"

    @property
    def duration(self) -> timedelta | None:
        end = self.returned_at or timezone.now()
        return end - self.last_seen_at

    @property
    def long(self) -> bool:
        duration = self.duration
        return duration is not None and duration > timedelta(hours=LONG_EPISODE_HOURS)

    @property
    def interview_due_at(self):
        if self.returned_at is None:
            return None
        return self.returned_at + timedelta(hours=INTERVIEW_DUE_HOURS)


class InterviewerRelationship(models.TextChoices):
    INDEPENDENT = (
        "independent",
        "Independent of the young person's care (for example a commissioned service)",
    )
    SOCIAL_WORKER = "social_worker", "Their allocated social worker"
    OTHER_PROFESSIONAL = "other_professional", "Another professional who knows them"
    CARER = "carer", "Their parent or carer"
    PLACEMENT_STAFF = "placement_staff", "Staff at their placement"


# Guidance: the interviewer must be independent of the carers and placement.
NOT_INDEPENDENT = (InterviewerRelationship.CARER, InterviewerRelationship.PLACEMENT_STAFF)


class InterviewOutcome(models.TextChoices):
    HELD = "held", "Held"
    DECLINED = "declined", "Declined by the young person"
    UNABLE_TO_LOCATE = "unable_to_locate", "Unable to locate the young person"


class ReturnInterview(models.Model):
    episode = models.OneToOneField(
        MissingEpisode, on_delete=models.PROTECT, related_name="return_interview"
    )
    offered_at = models.DateTimeField()
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    interviewer_relationship = models.CharField(
        max_length=20, choices=InterviewerRelationship.choices
    )
    outcome = models.CharField(max_length=20, choices=InterviewOutcome.choices)
    held_at = models.DateTimeField(null=True, blank=True)
    held_where = models.CharField(max_length=200, blank=True)
    attempts = models.TextField("attempts made", blank=True, max_length=5000)
    push_factors = models.TextField("what pushed them away", blank=True, max_length=10_000)
    pull_factors = models.TextField("what pulled them away", blank=True, max_length=10_000)
    harm_or_threats = models.TextField(blank=True, max_length=10_000)
    where_and_with_whom = models.TextField(
        "where they went and with whom", blank=True, max_length=10_000
    )
    disclosures = models.TextField(blank=True, max_length=10_000)
    shared_with_police = models.BooleanField("shared with police", default=False)
    shared_with_social_care = models.BooleanField(
        "shared with children's social care", default=False
    )
    young_persons_words = models.TextField("the young person's own words", blank=True)
    follow_up_actions = models.TextField(blank=True, max_length=10_000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-offered_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(interviewer_relationship__in=NOT_INDEPENDENT),
                name="return_interview_independent",
                violation_error_message="The interviewer must be independent of the young "
                "person's carers and placement: choose someone else to hold the interview",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="held") | Q(held_at__isnull=False),
                name="return_interview_held_has_time",
                violation_error_message="Enter when the interview was held",
            ),
        ]

    def __str__(self) -> str:
        return f"Return interview ({self.get_outcome_display()})"

    @property
    def on_time(self) -> bool:
        due = self.episode.interview_due_at
        return due is not None and self.offered_at <= due


class ReviewRequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Reviewed"


class MissingReviewRequest(models.Model):
    """Repeat episodes (3 in 90 days by default) ask the team to review the case."""

    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="missing_review_requests"
    )
    episode_count = models.PositiveSmallIntegerField()
    raised_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=8, choices=ReviewRequestStatus.choices, default=ReviewRequestStatus.OPEN
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["young_person"],
                condition=Q(status="open"),
                name="one_open_missing_review_per_young_person",
            )
        ]

    def __str__(self) -> str:
        return f"Review: {self.episode_count} missing episodes"
