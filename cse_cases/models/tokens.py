"""API tokens: secrets for the API, stored only as digests (django-rest-knox).

A token acts as its holder under the same access policy as the pages. It is
named (so its holder and information governance can tell tokens apart), it
expires (``API_TOKEN_DAYS``, 90 by default), and revoking one deletes it.
The key itself is shown once, when the token is made; the database keeps
only its SHA-512 digest and the first characters (``token_key``) used to find
the row.
"""

from __future__ import annotations

from django.db import models
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

from cse_cases.models.partnership import User

NAME_MAX_LENGTH = 100


class ApiToken(AbstractAuthToken):
    """Knox's token (digest, token_key, user, created, expiry) with our fields.

    Knox makes the digest the primary key; a plain id keeps digests out of
    URLs and forms. Every token expires: ``expiry`` is never empty here.
    """

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    expiry = models.DateTimeField()
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    # Written at most once a minute per token (cse_cases/api/auth.py).
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Who made it: the holder, or the administrator who issued it to a
    # service account; empty when made by `manage.py drf_create_token`.
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"
        indexes = [models.Index(fields=["user", "expiry"], name="api_token_user_expiry_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="api_token_named"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"
