"""Multi-agency meetings: strategy discussions, CSE strategy meetings, reviews and
MACE panels; who came; the young people discussed, with minutes and decisions;
the actions agreed; and who the record was sent to.

A meeting can discuss several children (a MACE panel). Each child's part (the
agenda, minutes and decisions) is a MeetingSubject, so that someone who may
see one child but not another is shown, and sent, only the part they may see.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from assessments.risk.models import ASSESSED_LEVELS
from cse_cases.models import Agency, Area, Location, PersonOfConcern, YoungPerson


class MeetingKind(models.TextChoices):
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    CSE_STRATEGY_MEETING = "cse_strategy_meeting", "CSE strategy meeting"
    MULTI_AGENCY_REVIEW = "multi_agency_review", "Multi-agency review"
    MACE_PANEL = "mace_panel", "MACE panel"


# A meeting that counts as the strategy meeting a high-risk decision needs.
STRATEGY_KINDS = (MeetingKind.STRATEGY_DISCUSSION, MeetingKind.CSE_STRATEGY_MEETING)


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    kind = models.CharField(max_length=24, choices=MeetingKind.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    online = models.BooleanField(default=False)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    # A strategy discussion needs children's social care, police and health;
    # when one is missing, the chair says why.
    core_agencies_note = models.TextField(blank=True)
    # MACE panels also consider places and persons of concern.
    locations = models.ManyToManyField(Location, blank=True, related_name="meetings")
    persons = models.ManyToManyField(PersonOfConcern, blank=True, related_name="meetings")
    # The strategy discussion a referral decision asked for, when it came from one.
    request = models.OneToOneField(
        "referrals.MeetingRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting",
    )
    # The record is due to its attendees one working day after the meeting
    # (by the area's bank holidays): fixed when the meeting is scheduled.
    record_due_at = models.DateTimeField()
    record_distributed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["area", "-starts_at"], name="meeting_area_idx"),
            # The drift engine's "record not distributed" rule.
            models.Index(
                fields=["record_due_at"],
                condition=models.Q(record_distributed_at__isnull=True, status="held"),
                name="meeting_record_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {timezone.localtime(self.starts_at):%d %b %Y %H:%M}"


class Attendance(models.TextChoices):
    INVITED = "invited", "Invited"
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"
    ABSENT = "absent", "Did not attend"


class Participant(models.Model):
    """An invitee or attendee: a Harbour user, or someone outside Harbour
    (recorded by name and agency, with no access to anything)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    agency_name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    attendance = models.CharField(
        max_length=10, choices=Attendance.choices, default=Attendance.INVITED
    )

    class Meta:
        ordering = ["agency_name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="participant_user_once",
            ),
        ]
        indexes = [models.Index(fields=["user", "meeting"], name="participant_user_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency_name})"

    @property
    def external(self) -> bool:
        return self.user_id is None


class Decision(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


# What the chair writes for each young person: the minutes form, the API and
# minutes_save all take these.
MINUTES_FIELDS = (
    "minutes",
    "young_persons_views",
    "agreed_level",
    "child_protection_enquiries",
    "criminal_investigation",
    "plan_decision",
)


class MeetingSubject(models.Model):
    """One young person discussed: their minutes and the decisions about them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="subjects")
    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="+")
    minutes = models.TextField(blank=True)
    young_persons_views = models.TextField(
        "the young person's views, in their own words", blank=True
    )
    agreed_level = models.CharField(max_length=16, choices=ASSESSED_LEVELS, blank=True)
    child_protection_enquiries = models.CharField(
        "child protection enquiries (section 47)",
        max_length=3,
        choices=Decision.choices,
        blank=True,
    )
    criminal_investigation = models.CharField(max_length=3, choices=Decision.choices, blank=True)
    plan_decision = models.TextField("decision about the plan", blank=True)
    minuted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minuted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "young_person"], name="subject_once_per_meeting"
            ),
        ]
        indexes = [
            models.Index(fields=["young_person", "meeting"], name="subject_young_person_idx")
        ]

    def __str__(self) -> str:
        return f"{self.young_person} at {self.meeting}"

    @property
    def has_minutes(self) -> bool:
        return bool(
            self.minutes.strip()
            or self.young_persons_views.strip()
            or self.agreed_level
            or self.plan_decision.strip()
        )


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Action(models.Model):
    """Something someone agreed to do for a young person, with a date."""

    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions"
    )
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    evidence = models.TextField("evidence of completion", blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ActionStatus.DONE)
                | models.Q(completed_at__isnull=False) & ~models.Q(evidence=""),
                name="action_done_has_evidence",
            ),
        ]
        indexes = [
            # The owner's work list and the drift engine's "action overdue" rule.
            models.Index(
                fields=["owner", "due_on"],
                condition=models.Q(status="open"),
                name="action_open_owner_idx",
            ),
            models.Index(
                fields=["due_on"], condition=models.Q(status="open"), name="action_open_due_idx"
            ),
            models.Index(fields=["young_person", "-created_at"], name="action_young_person_idx"),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class DistributionKind(models.TextChoices):
    PACK = "pack", "Meeting pack"
    RECORD = "record", "Record of the meeting"


class Distribution(models.Model):
    """Who a meeting's pack or record was sent to, and when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="distributions")
    kind = models.CharField(max_length=8, choices=DistributionKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Which young people's sections the recipient was sent (the rest withheld).
    young_people = models.ManyToManyField(YoungPerson, blank=True, related_name="+")
    withheld = models.PositiveSmallIntegerField(default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient}"
