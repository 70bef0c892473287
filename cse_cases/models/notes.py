"""Case notes: what happened, who was there, and the young person's own words."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cse_cases.models.cases import Case
from cse_cases.models.partnership import Agency
from cse_cases.models.young_people import YoungPerson

# Long enough for a full strategy discussion; a pasted document belongs in an upload.
NOTE_MAX_CHARACTERS = 50_000


class NoteType(models.TextChoices):
    CONTACT_YOUNG_PERSON = "contact_young_person", "Contact with the young person"
    CONTACT_FAMILY = "contact_family", "Contact with family or carers"
    MULTI_AGENCY = "multi_agency", "Multi-agency contact"
    MANAGEMENT_DECISION = "management_decision", "Management decision"
    CASE_REVIEW = "case_review", "Case review"
    OTHER = "other", "Other"


# Notes that record contact with the young person or their family (the drift
# engine's "no recorded contact" rule).
CONTACT_NOTE_TYPES = (NoteType.CONTACT_YOUNG_PERSON, NoteType.CONTACT_FAMILY)


class NoteVisibility(models.TextChoices):
    TEAM = "team", "Everyone who can see the case"
    AGENCY = "agency", "My agency and CSE leads only"
    NAMED = "named", "Only the people I name (and CSE leads)"


class CaseNote(models.Model):
    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="notes")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    note_type = models.CharField(max_length=32, choices=NoteType.choices)
    visibility = models.CharField(
        max_length=10, choices=NoteVisibility.choices, default=NoteVisibility.TEAM
    )
    named_viewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="notes_shared_with_me"
    )
    occurred_at = models.DateTimeField("when it happened", default=timezone.now)
    text = models.TextField()
    young_persons_words = models.TextField("the young person's own words", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The author's agency when they wrote it: people move, notes stay.
    author_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["young_person", "-occurred_at"], name="note_timeline_idx"),
            models.Index(fields=["case", "visibility"], name="note_case_visibility_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_note_type_display()} ({self.occurred_at:%d %b %Y})"
