"""The CSE case: the episode of work with a young person, and who works on it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from cse_cases.models.partnership import Agency, Area
from cse_cases.models.young_people import YoungPerson


class RiskLevel(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not yet assessed"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class ExploitationModel(models.TextChoices):
    INAPPROPRIATE_RELATIONSHIP = "inappropriate_relationship", "Inappropriate relationship"
    GROOMING_RELATIONSHIP = "grooming_relationship", "Grooming through a so-called relationship"
    PEER_ON_PEER = "peer_on_peer", "Peer-on-peer exploitation"
    GANG_ASSOCIATED = "gang_associated", "Gang-associated exploitation"
    ORGANISED = "organised", "Organised or networked exploitation, including trafficking"
    ONLINE = "online", "Online exploitation"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ClosureCategory(models.TextChoices):
    """Why a case closed, as a category the reports can count; the free-text
    reason beside it says it in the worker's words and never leaves Harbour.
    "Not recorded" is last: the reports count anything unknown under it."""

    RISK_REDUCED = "risk_reduced", "Risk reduced or plan achieved"
    MOVED_AWAY = "moved_away", "Moved out of the area"
    ADULT_SERVICES = "adult_services", "Turned 18 or transferred to adult services"
    OTHER_SERVICE = "other_service", "Transferred to another service"
    SUPPORT_ENDED_AT_REQUEST = (
        "support_ended_at_request",
        "Support ended at the young person's request (the offer stays open)",
    )
    DUPLICATE = "duplicate", "Duplicate record merged into another"
    OTHER = "other", "Other"
    NOT_RECORDED = "not_recorded", "Not recorded"


class Case(models.Model):
    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.TextField(blank=True)
    closure_category = models.CharField(
        max_length=32, choices=ClosureCategory.choices, default=ClosureCategory.NOT_RECORDED
    )
    # The district whose CSE leads oversee the case (the young person's area
    # when it opened; it moves with them).
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="cases")
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="led_cases")
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_cases"
    )
    risk_level = models.CharField(
        max_length=16, choices=RiskLevel.choices, default=RiskLevel.NOT_ASSESSED
    )
    exploitation_models = ArrayField(
        models.CharField(max_length=32, choices=ExploitationModel.choices),
        default=list,
        blank=True,
    )
    # When someone last saw or spoke with the young person or their family
    # (a contact note, or a return interview held): kept here by the services
    # that record contact, so the drift engine's 28-day rule reads one column
    # instead of searching every case's notes on every sweep.
    last_contact_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_on"]
        permissions = [("view_shared_case", "Can see a case shared through an ISA decision")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=CaseStatus.OPEN, closed_on__isnull=True)
                | models.Q(status=CaseStatus.CLOSED, closed_on__isnull=False),
                name="case_closed_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="case_closes_after_opening",
            ),
            # One open CSE episode per young person at a time.
            models.UniqueConstraint(
                fields=["young_person"],
                condition=models.Q(status=CaseStatus.OPEN),
                name="case_one_open_per_young_person",
            ),
        ]
        indexes = [
            models.Index(fields=["area", "status"], name="case_area_status_idx"),
            models.Index(fields=["lead_professional", "status"], name="case_lead_status_idx"),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk} ({self.get_status_display()})"


class CaseMember(models.Model):
    """Someone in the team around the child, from any agency."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships"
    )
    role = models.CharField("role in the team", max_length=100)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=models.Q(removed_at__isnull=True),
                name="case_member_once_while_active",
            )
        ]
        indexes = [
            models.Index(
                fields=["user", "case"],
                condition=models.Q(removed_at__isnull=True),
                name="case_member_active_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class RiskSource(models.TextChoices):
    """Where a risk level came from, when not set on the case itself."""

    SCREENING = "screening", "Screening of a referral"


class RiskLevelChange(models.Model):
    """The risk level over time: each decision with its rationale."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_history")
    level = models.CharField(max_length=16, choices=RiskLevel.choices)
    rationale = models.TextField()
    # Blank for a level set on the case; "screening" for the level a referral's
    # screener judged, which became a new case's first risk level.
    source = models.CharField(max_length=16, choices=RiskSource.choices, blank=True, default="")
    # What it came from, as people name it (a referral's reference, REF-000123):
    # text, so the core record names no feature's model.
    source_reference = models.CharField(max_length=40, blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.decided_at:%d %b %Y})"


class LeadProfessionalSpell(models.Model):
    """Who led the case, and when: continuity is the number of spells."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="lead_history")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(ended_at__isnull=True),
                name="lead_spell_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} from {self.started_at:%d %b %Y}"


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", "Consent given"
    SAFEGUARDING = "safeguarding", "Safeguarding a child at risk (no consent needed)"
    CRIME = "crime", "Prevention or detection of crime"
    LEGAL_DUTY = "legal_duty", "A statutory duty (Children Act 1989 s47, s17)"
    PUBLIC_TASK = "public_task", "Public task"


class SharingDecision(models.Model):
    """An information-sharing decision: recorded whether or not it shares."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sharing_decisions")
    shared = models.BooleanField()
    with_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shared_with_me"
    )
    purpose = models.TextField()
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        verb = "Shared with" if self.shared else "Not shared with"
        return f"{verb} {self.with_user} ({self.get_lawful_basis_display()})"


class BreakGlassGrant(models.Model):
    """Emergency access to a case someone cannot otherwise see."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="break_glass_grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "expires_at"], name="break_glass_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} until {self.expires_at:%d %b %Y %H:%M}"


class BreakGlassOutcome(models.TextChoices):
    APPROPRIATE = "appropriate", "Appropriate"
    NOT_APPROPRIATE = "not_appropriate", "Not appropriate"
    REFERRED_ON = "referred_on", "Referred on (to a manager, HR or the data protection officer)"


class BreakGlassReview(models.Model):
    """Information governance's decision on one use of emergency access.

    A grant without a review waits in the review queue of the information
    governance officers who serve the record's district. One review per grant
    (a second opinion is a note on the referral it was passed to, not a
    second row here)."""

    grant = models.OneToOneField(BreakGlassGrant, on_delete=models.PROTECT, related_name="review")
    outcome = models.CharField(max_length=20, choices=BreakGlassOutcome.choices)
    note = models.TextField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.reviewed_by})"
