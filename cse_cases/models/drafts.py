"""Autosaved drafts: what someone has typed into a form and not yet saved.

A timed-out session or a closed tab must never eat a record: forms post their
fields here every few seconds, and the page offers them back on return.
Drafts belong to their author alone and expire.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Draft(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Which form, and for which record: "young-person-new", "young-person-edit:42".
    form_key = models.CharField(max_length=100)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "form_key"], name="draft_one_per_form")
        ]
        indexes = [models.Index(fields=["updated_at"], name="draft_updated_idx")]

    def __str__(self) -> str:
        return f"Draft of {self.form_key} by user {self.user_id}"
