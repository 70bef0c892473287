"""A writer keeping their own words after the language check flagged them.

Only the flagged phrase (cut short) and the writer's reason are kept, never
the text around it: the record is for learning about the rules, not a second
copy of a child's record.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

PHRASE_MAX = 200
REASON_MAX = 300


class KeepHow(models.TextChoices):
    # The writer chose "Keep my words" and said why.
    REASON = "reason", "Kept with a reason"
    # The writer saved the text with the finding still in it, saying nothing.
    SAVED = "saved", "Saved unchanged"


class LanguageKeep(models.Model):
    """One flagged phrase the writer kept, with why, or saved unchanged
    (both counted in the report)."""

    kept_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        "cse_cases.User", on_delete=models.PROTECT, related_name="language_keeps"
    )
    # The writer's agency and team when they kept it: the report reads by team.
    agency = models.ForeignKey(
        "cse_cases.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        "cse_cases.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The team's supervisor when the words were kept: they, and not a later
    # supervisor of the team, read the phrase and the reason.
    supervisor = models.ForeignKey(
        "cse_cases.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rule = models.CharField(max_length=100)
    rules_version = models.CharField(max_length=50)
    category = models.CharField(max_length=100, blank=True)
    phrase = models.CharField(max_length=PHRASE_MAX)
    how = models.CharField(max_length=10, choices=KeepHow.choices, default=KeepHow.REASON)
    reason = models.CharField(max_length=REASON_MAX, blank=True)
    # Which form and field ("CaseNoteForm", "text"): where the rules misfire.
    form = models.CharField(max_length=100, blank=True)
    field = models.CharField(max_length=100)

    class Meta:
        ordering = ["-kept_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(how=KeepHow.SAVED) | ~models.Q(reason__regex=r"^\s*$"),
                name="language_keep_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.phrase}"
