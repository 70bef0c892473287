"""audit.record_many writes one row per child in one INSERT: every column as
audit.row() gives it, the request's address included, duplicates once, in
the order given, and no statement at all for an empty list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cse_cases import audit
from cse_cases.models import AuditAction, AuditEvent
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("address", ["203.0.113.5", "::1", None])
def test_one_row_per_child_with_every_column(amira, address):
    children = [YoungPersonFactory().pk for _ in range(3)]
    token = audit._request_address.set(address)
    try:
        with CaptureQueriesContext(connection) as queries:
            audit.record_many(
                user=amira,
                action=AuditAction.VIEW,
                object_type="network",
                young_person_ids=[children[2], children[0], children[2], None, children[1]],
                detail="network map",
            )
    finally:
        audit._request_address.reset(token)
    # One INSERT, and no savepoint around it inside the test's transaction.
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"]
    rows = list(AuditEvent.objects.order_by("pk"))
    assert [r.young_person_id for r in rows] == [children[2], children[0], children[1]]
    for event in rows:
        assert event.user_id == amira.pk
        assert event.username == amira.username
        assert event.agency_id == amira.agency_id
        assert event.agency_name == amira.agency.name
        assert event.action == AuditAction.VIEW
        assert event.object_type == "network"
        assert event.object_id is None
        assert event.fields_changed == {}
        assert event.detail == "network map"
        assert event.ip_address == address
        assert event.reason == ""
        assert event.at is not None


def test_an_empty_list_writes_nothing(amira):
    with CaptureQueriesContext(connection) as queries:
        audit.record_many(
            user=amira, action=AuditAction.VIEW, object_type="network", young_person_ids=[]
        )
    assert queries.captured_queries == []
    assert not AuditEvent.objects.exists()
