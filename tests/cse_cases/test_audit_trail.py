"""The audit trail is append-only, in PostgreSQL itself."""

from __future__ import annotations

import pytest
from django.db import ProgrammingError, connection, transaction

from cse_cases import audit
from cse_cases.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_rows_record_who_what_and_where(amira, jade) -> None:
    event = audit.record(user=amira, action=AuditAction.VIEW, obj=jade, young_person_id=jade.pk)
    assert event.username == "amira"
    assert event.agency_name == "Kingsmere Children's Services"
    assert event.object_type == "youngperson"
    assert event.object_id == jade.pk


def test_postgresql_refuses_to_update_audit_rows(amira, jade) -> None:
    event = audit.record(user=amira, action=AuditAction.VIEW, obj=jade, young_person_id=jade.pk)
    rows = AuditEvent.objects.filter(pk=event.pk)
    with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic():
        rows.update(reason="covering my tracks")
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_postgresql_refuses_to_delete_audit_rows(amira, jade) -> None:
    event = audit.record(user=amira, action=AuditAction.VIEW, obj=jade, young_person_id=jade.pk)
    with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_cannot_change_them_either(amira, jade) -> None:
    audit.record(user=amira, action=AuditAction.VIEW, obj=jade, young_person_id=jade.pk)
    with (
        pytest.raises(ProgrammingError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM cse_cases_auditevent")
