"""Referrals: a concern from any agency, screened and decided against a clock.

A referral moves through named statuses (received, screening, decided,
closed); ``services.py`` has one function per transition, each checking the
current status first. The queue it sits in is its ``area``: the young
person's home district, wherever the referrer works.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cse_cases.models import Agency, Area, Case, RiskLevel, Team, YoungPerson


def private_storage():
    """Attachments are stored outside every served folder (settings.STORAGES)."""
    return storages["private"]


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    SCREENING = "screening", "Screening"
    DECIDED = "decided", "Decided"
    CLOSED = "closed", "Closed"


# Referrals waiting for a decision: the queue, and the decision clock.
AWAITING_DECISION = (ReferralStatus.RECEIVED, ReferralStatus.SCREENING)


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent: needs a decision today"


class ParentsAware(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class Consent(models.TextChoices):
    GIVEN = "given", "Consent given"
    NOT_SOUGHT = "not_sought", "Consent not sought"
    REFUSED = "refused", "Consent refused"


class SharingBasis(models.TextChoices):
    """The lawful basis for sharing without consent."""

    SAFEGUARDING = "safeguarding", "Safeguarding a child at risk of harm"
    LEGAL_DUTY = "legal_duty", "A statutory duty (Children Act 1989 s17, s47)"
    CRIME = "crime", "Prevention or detection of crime"
    PUBLIC_TASK = "public_task", "Public task"


class Indicator(models.TextChoices):
    """Signs the referrer has seen. Worded about what happens to the young
    person and who does it, never as the young person's choices."""

    MISSING = "missing", "Going missing from home, care or school"
    OLDER_PERSON = (
        "older_person",
        "Contact with an adult or much older person who may be abusing them",
    )
    GIFTS_MONEY = "gifts_money", "Unexplained money, gifts, phones or clothes"
    TRANSPORTED = "transported", "Picked up or driven by unknown adults"
    LOCATIONS = "locations", "Seen at hotels, parties or addresses of concern"
    ONLINE = (
        "online",
        "Online contact with unknown adults, or sexual images of them asked for or shared",
    )
    SEXUAL_HEALTH = "sexual_health", "Sexual health concerns (infections, pregnancy)"
    SUBSTANCES = "substances", "Given or using drugs or alcohol"
    EDUCATION = "education", "Not attending school, or a sudden change at school"
    EMOTIONAL = "emotional", "Self-harm, distress or a change in behaviour"
    INJURIES = "injuries", "Unexplained injuries"
    PEERS = "peers", "In contact with young people or adults known to exploit others"
    DISCLOSURE = "disclosure", "Told someone about abuse or exploitation"
    TRAFFICKED = "trafficked", "Moved between areas or towns by others"


class Decision(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action, with advice"
    EARLY_HELP = "early_help", "Early help"
    CSE_ASSESSMENT = "cse_assessment", "CSE assessment"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    REFER_ELSEWHERE = "refer_elsewhere", "Refer elsewhere"


class Referral(models.Model):
    # The queue: the district where the young person lives.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="referrals")
    # Where the referrer made it, when that was another district.
    received_in_area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    received_at = models.DateTimeField(default=timezone.now)
    # When the decision clock last started: receipt, or the latest reopening.
    clock_started_at = models.DateTimeField(default=timezone.now)
    decision_due_at = models.DateTimeField()

    # Who made it. `referred_by` entered it (in person or as a partner system);
    # the referrer's details are as given, since a referrer may be outside Harbour.
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referrer_name = models.CharField(max_length=200)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referrer_agency_name = models.CharField(max_length=200)
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)

    # The young person: a record, or someone not yet identified.
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    identity_unknown = models.BooleanField(default=False)
    # The name as the referrer gave it, when it could not be matched to a record
    # they may see: the screener searches for it.
    given_name = models.CharField(max_length=200, blank=True)
    # Records the duplicate check matched but the referrer may not see: the
    # screener confirms whether the referral is about one of them.
    possible_match_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    subject_description = models.TextField(
        "description of the young person", blank=True, max_length=5000
    )

    concerns = models.TextField(max_length=20_000)
    indicators = ArrayField(
        models.CharField(max_length=20, choices=Indicator.choices), default=list, blank=True
    )
    young_persons_words = models.TextField("the young person's own words", blank=True)
    parents_aware = models.CharField(
        "parents or carers know", max_length=10, choices=ParentsAware.choices
    )
    parents_aware_detail = models.TextField(blank=True)
    consent = models.CharField(max_length=10, choices=Consent.choices)
    consent_not_sought_reason = models.TextField(blank=True)
    sharing_basis = models.CharField(
        "lawful basis for sharing without consent",
        max_length=16,
        choices=SharingBasis.choices,
        blank=True,
    )
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    # The referrer's view, then the screener's.
    referrer_risk = models.CharField(
        "risk as the referrer sees it", max_length=16, choices=RiskLevel.choices, blank=True
    )
    risk_level = models.CharField(
        "screened risk", max_length=16, choices=RiskLevel.choices, blank=True
    )

    assigned_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_assigned",
    )
    screening_notes = models.TextField(blank=True, max_length=20_000)

    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decision_rationale = models.TextField(blank=True)
    advice_given = models.TextField(blank=True)
    referred_on_to = models.CharField("referred to", max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    feedback = models.TextField("feedback to the referrer", blank=True)
    feedback_sent_at = models.DateTimeField(null=True, blank=True)

    # Another referral about the same young person in the 12 months before.
    previous_referral = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The same form sent twice makes one referral (services.referral_create).
    idempotency_key = models.UUIDField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(young_person__isnull=False) | Q(identity_unknown=True),
                name="referral_young_person_or_unknown",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AWAITING_DECISION) | ~Q(decision=""),
                name="referral_decided_has_decision",
            ),
            models.UniqueConstraint(
                fields=["referred_by", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="referral_idempotency_key_unique",
            ),
        ]
        indexes = [
            # The screening queue reads only referrals awaiting a decision: a
            # small partial index, however many decided ones pile up.
            models.Index(
                fields=["area", "decision_due_at"],
                condition=Q(status__in=AWAITING_DECISION),
                name="referral_queue_idx",
            ),
            models.Index(fields=["young_person", "-received_at"], name="referral_young_person_idx"),
            models.Index(fields=["referred_by", "-received_at"], name="referral_referrer_idx"),
            models.Index(fields=["area", "-received_at"], name="referral_area_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"REF-{self.pk:06d}" if self.pk else "REF-new"

    @property
    def awaiting_decision(self) -> bool:
        return self.status in AWAITING_DECISION

    @property
    def subject_name(self) -> str:
        if self.young_person_id:
            return self.young_person.display_name
        if self.given_name:
            return f"{self.given_name} (not yet confirmed)"
        return "Identity not yet known"

    @property
    def name_as_referred(self) -> str:
        """What the referrer told us, for people who may not see the record."""
        return self.given_name or "Identity not yet known"

    def overdue(self, now=None) -> bool:
        return self.awaiting_decision and (now or timezone.now()) > self.decision_due_at


class ReferralTransition(models.Model):
    """Every change of status, with who made it and why (reopening needs a reason)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ReferralStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} to {self.to_status}"


class ReferralTransfer(models.Model):
    """A referral moving to another district's queue; both districts see it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transfers")
    from_area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    to_area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["from_area", "-at"], name="referral_transfer_from_idx")]

    def __str__(self) -> str:
        return f"{self.from_area} to {self.to_area}"


class ReferralAttachment(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="referrals/%Y/%m/")
    name = models.CharField("file name", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class MeetingRequestStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class MeetingRequest(models.Model):
    """A strategy discussion asked for by a referral decision; the CSE lead
    schedules it (multi-agency meetings)."""

    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="meeting_request"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=MeetingRequestStatus.choices, default=MeetingRequestStatus.REQUESTED
    )

    class Meta:
        ordering = ["requested_at"]
        indexes = [
            models.Index(
                fields=["area", "requested_at"],
                condition=Q(status="requested"),
                name="meeting_request_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Strategy discussion for {self.referral}"
