"""Autosaved drafts: save, offer back, discard, expire."""

from __future__ import annotations

import re
from datetime import timedelta

from django.http import QueryDict
from django.utils import timezone

from cse_cases.models import Draft, User

DRAFT_DAYS = 30
# Drafts are for the forms of a child's record and of supervision: a fixed set of keys.
FORM_KEY = re.compile(
    r"^(young-person-new|young-person-edit:\d+|note-new:\d+|referral-new|referral-decide:\d+"
    r"|return-interview:\d+|assessment:\d+|assessment-section:\d+"
    r"|supervision-new:\d+|supervision-edit:\d+|supervision-reflection:\d+)$"
)
# Never keep these: the CSRF token, and anything that is not typed content.
SKIP = {"csrfmiddlewaretoken", "form_key", "version"}
MAX_FIELD = 100_000


def draft_save(*, user: User, form_key: str, fields: QueryDict) -> Draft | None:
    if not FORM_KEY.match(form_key):
        return None
    data = {
        name: values if len(values) > 1 else values[0]
        for name, values in fields.lists()
        if name not in SKIP and all(len(v) <= MAX_FIELD for v in values)
    }
    draft, _ = Draft.objects.update_or_create(
        user=user, form_key=form_key, defaults={"data": data, "updated_at": timezone.now()}
    )
    return draft


def draft_for(*, user: User, form_key: str) -> Draft | None:
    return Draft.objects.filter(user=user, form_key=form_key).first()


def draft_discard(*, user: User, form_key: str) -> None:
    Draft.objects.filter(user=user, form_key=form_key).delete()


def drafts_clear_expired() -> int:
    """Drafts nobody came back to within DRAFT_DAYS are deleted (one statement)."""
    deleted, _ = Draft.objects.filter(
        updated_at__lt=timezone.now() - timedelta(days=DRAFT_DAYS)
    ).delete()
    return deleted
