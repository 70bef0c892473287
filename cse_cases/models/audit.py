"""The audit trail: an append-only row for every read and write of identifiable data.

PostgreSQL itself refuses UPDATE and DELETE on this table (a trigger, in the
migration that creates it), so not even a bug or a database shell in the
application's role can rewrite history. Rows hold plain ids and names, not
foreign keys, so deleting a person or record never touches them.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    EXPORT = "export", "Exported"
    PRINT = "print", "Printed"
    MERGE = "merge", "Merged"
    SHARE = "share", "Sharing decision"
    BREAK_GLASS = "break_glass", "Emergency access"
    ACCOUNT = "account", "Account change"


class AuditEvent(models.Model):
    # Not a column: (label, old, new) per changed field, set by
    # cse_cases.selectors.accounts for the account page.
    changes: list[tuple[str, object, object]]

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user_id = models.BigIntegerField(null=True)
    username = models.CharField(max_length=150)
    agency_id = models.BigIntegerField(null=True)
    agency_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.BigIntegerField(null=True)
    # Every event about a child's record carries the child, for "who has seen this".
    young_person_id = models.BigIntegerField(null=True)
    fields_changed = models.JSONField(default=dict, blank=True)
    detail = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["young_person_id", "-at"], name="audit_young_person_idx"),
            models.Index(fields=["user_id", "-at"], name="audit_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}"
