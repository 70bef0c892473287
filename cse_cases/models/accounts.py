"""Account changes that wait for a second person before they take effect.

A change that gives an account record access (a record role, information
governance or administration; more areas, another agency or team for such an
account; switching such an account back on) and the removal of an
authenticator are not applied when an administrator asks: they wait here,
as structured data, until another administrator (or, where there is only one,
the information governance of the account's district) approves them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class AccountChangeKind(models.TextChoices):
    CHANGE = "change", "Change the account"
    REMOVE_AUTHENTICATOR = "remove_authenticator", "Remove the authenticator"


class AccountChangeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class AccountChangeRequest(models.Model):
    account = models.ForeignKey(
        "cse_cases.User", on_delete=models.PROTECT, related_name="change_requests"
    )
    kind = models.CharField(max_length=32, choices=AccountChangeKind.choices)
    # {field: [old, new]}: ids for agency and team, sorted id lists for areas,
    # so approving applies exactly what was asked.
    changes = models.JSONField(default=dict)
    # What the account looked like when the change was asked for (role, areas,
    # agency, team, active, email, authenticators): approving a change to an
    # account that has moved on since is refused.
    account_state = models.JSONField(default=dict)
    reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=AccountChangeStatus.choices, default=AccountChangeStatus.PENDING
    )
    requested_by = models.ForeignKey(
        "cse_cases.User", on_delete=models.PROTECT, related_name="account_changes_requested"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "cse_cases.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account_changes_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AccountChangeStatus.values),
                name="account_change_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AccountChangeKind.values), name="account_change_kind_valid"
            ),
            # Two people, always: neither the one who asked nor the account's
            # holder approves or rejects it (withdrawing is the asker's own act).
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | Q(status=AccountChangeStatus.WITHDRAWN)
                | (~Q(decided_by=F("requested_by")) & ~Q(decided_by=F("account"))),
                name="account_change_second_person",
            ),
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(status=AccountChangeStatus.PENDING),
                name="account_change_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.account} ({self.get_status_display()})"
