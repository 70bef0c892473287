"""Risk assessment templates (versioned data) and the assessments made with them.

A template is data, not code: domains of indicators, each with a weight and a
time window, a strengths domain, and optional score bands that suggest a
level. Once a version is published it never changes; a CSE lead publishes a
new version, and every assessment keeps the version it was started on.

An assessment is indicative, not predictive (DESIGN.md principle 2): the
indicators suggest a level, the lead professional judges it and writes why
when the judgement differs, and a supervisor or CSE lead who did not write it
signs it off.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cse_cases.models import Agency, Case, RiskLevel

# Levels an assessment may suggest or judge: "not yet assessed" is not a judgement.
ASSESSED_LEVELS = [
    (value, label) for value, label in RiskLevel.choices if value != RiskLevel.NOT_ASSESSED
]
LEVELS = {value for value, _ in ASSESSED_LEVELS}


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class AssessmentTemplate(models.Model):
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT
    )
    description = models.TextField(blank=True)
    # What changed from the version before: shown to those reviewing the new one.
    change_summary = models.TextField(blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="template_version_unique"),
            # One version in preparation at a time, so two leads do not
            # publish competing edits of the same template.
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(status=TemplateStatus.DRAFT),
                name="template_one_draft",
            ),
            models.CheckConstraint(
                condition=models.Q(status=TemplateStatus.DRAFT, published_at__isnull=True)
                | models.Q(status=TemplateStatus.PUBLISHED, published_at__isnull=False),
                name="template_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, version {self.version}"


class DomainKind(models.TextChoices):
    RISK = "risk", "Risk indicators"
    STRENGTHS = "strengths", "Strengths and protective factors"


class TemplateDomain(models.Model):
    template = models.ForeignKey(
        AssessmentTemplate, on_delete=models.CASCADE, related_name="domains"
    )
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=50)
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=DomainKind.choices, default=DomainKind.RISK)

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="domain_key_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Window(models.TextChoices):
    CURRENT = "current", "Current (the last 6 months)"
    EARLIER = "earlier", "6 to 12 months ago"


MAX_WEIGHT = 5


class TemplateIndicator(models.Model):
    domain = models.ForeignKey(TemplateDomain, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    # Strengths carry no weight: they sit beside the score, never inside it.
    weight = models.PositiveSmallIntegerField(default=1)
    window = models.CharField(max_length=10, choices=Window.choices, default=Window.CURRENT)

    class Meta:
        ordering = ["domain__position", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__lte=MAX_WEIGHT), name="indicator_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class ScoreBand(models.Model):
    """From this score upwards (to the next band), the template suggests this level."""

    template = models.ForeignKey(AssessmentTemplate, on_delete=models.CASCADE, related_name="bands")
    min_score = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=16, choices=ASSESSED_LEVELS)
    label = models.CharField(max_length=200)

    class Meta:
        ordering = ["template", "min_score"]
        constraints = [
            models.UniqueConstraint(fields=["template", "min_score"], name="band_start_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for sign-off"
    RETURNED = "returned", "Returned with comments"
    SIGNED_OFF = "signed_off", "Signed off"


# Statuses in which the assessment is still being written.
EDITABLE = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)
OPEN = (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED)
TEXT_MAX = 20_000


class Assessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    template = models.ForeignKey(
        AssessmentTemplate, on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    # Who started it: the lead professional (or a CSE lead) who completes it.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    young_persons_views = models.TextField(
        "the young person's views, in their own words", blank=True
    )
    parents_views = models.TextField("parents' and carers' views", blank=True)
    other_strengths = models.TextField("other strengths and protective factors", blank=True)
    score = models.PositiveSmallIntegerField(default=0)
    suggested_level = models.CharField(max_length=16, choices=ASSESSED_LEVELS, blank=True)
    judged_level = models.CharField(max_length=16, choices=ASSESSED_LEVELS, blank=True)
    rationale = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    # Optimistic locking for the lead professional's part; each agency
    # section has its own version, so agencies never overwrite each other.
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # One assessment in progress per case: the team writes one together.
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status__in=OPEN),
                name="assessment_one_open_per_case",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=AssessmentStatus.SIGNED_OFF)
                | models.Q(
                    signed_off_by__isnull=False,
                    signed_off_at__isnull=False,
                    next_review_on__isnull=False,
                    submitted_by__isnull=False,
                )
                & ~models.Q(judged_level=""),
                name="assessment_signed_off_complete",
            ),
            # Four eyes: nobody signs off an assessment they wrote.
            models.CheckConstraint(
                condition=models.Q(signed_off_by__isnull=True)
                | (
                    ~models.Q(signed_off_by=models.F("author"))
                    & ~models.Q(signed_off_by=models.F("submitted_by"))
                ),
                name="assessment_signer_not_author",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-started_at"], name="assessment_case_idx"),
            # The drift engine's "assessment review overdue" rule reads this.
            models.Index(
                fields=["next_review_on"],
                condition=models.Q(status=AssessmentStatus.SIGNED_OFF),
                name="assessment_review_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment {self.pk} ({self.get_status_display()})"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def judgement_differs(self) -> bool:
        return bool(
            self.judged_level and self.suggested_level and self.judged_level != self.suggested_level
        )


class Answer(models.TextChoices):
    PRESENT = "present", "Present"
    NOT_PRESENT = "not_present", "Not present"
    NOT_KNOWN = "not_known", "Not known"


class IndicatorAnswer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(TemplateIndicator, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    when = models.CharField(max_length=200, blank=True)
    evidence = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="answer_once_per_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.get_answer_display()}"


class AgencySection(models.Model):
    """One agency's contribution: what it knows and is doing, and who wrote it when."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="sections")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    contribution = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "agency"], name="section_once_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} section"


class AssessmentTransition(models.Model):
    """The assessment's history: every change of status, by whom, with comments."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=AssessmentStatus.choices)
    to_status = models.CharField(max_length=12, choices=AssessmentStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
