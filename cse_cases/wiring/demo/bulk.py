"""Audit rows for the demo's bulk writes.

An area's caseload has about a thousand notes, links, answers and episodes.
Written one service call at a time that takes minutes; the demo writes them
with bulk_create instead (a few INSERTs per kind) and, so that "who has seen
this" and information governance's trail read as they do for real work,
writes the audit row each service would have written, built by the same
cse_cases.audit.row that audit.record saves. The database's constraints still hold for every
row; the per-row permission checks the services make for a person acting
through a page are met by construction (the demo's workers are chosen for
it), and tests/cse_cases/test_seed_demo.py checks the rows against the
models' own validation.
"""

from __future__ import annotations

from django.db import models

from cse_cases import audit
from cse_cases.models import AuditAction, AuditEvent, User


class AuditRows:
    """Collects audit rows; `write` inserts them in one statement."""

    def __init__(self) -> None:
        self.rows: list[AuditEvent] = []

    def add(
        self,
        *,
        user: User,
        action: str,
        obj: models.Model,
        young_person_id: int | None = None,
        fields_changed: dict | None = None,
        detail: str = "",
        reason: str = "",
    ) -> None:
        self.rows.append(
            audit.row(
                user=user,
                action=action,
                obj=obj,
                young_person_id=young_person_id,
                fields_changed=fields_changed,
                detail=detail,
                reason=reason,
            )
        )

    def created(self, user: User, obj: models.Model, young_person_id: int | None = None) -> None:
        self.add(user=user, action=AuditAction.CREATE, obj=obj, young_person_id=young_person_id)

    def write(self) -> None:
        AuditEvent.objects.bulk_create(self.rows, batch_size=2000)
        self.rows.clear()
