"""Writing the audit trail: one call per read or write of identifiable data.

Views and services call ``audit.record(...)``; the request's address comes
from a context variable the middleware sets, so services need not carry the
request around (tasks have no address, and record None).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar

from django.db import connections, models, router, transaction
from django.http import HttpRequest, HttpResponse

from cse_cases.models import AuditAction, AuditEvent, User
from cse_cases.network import client_ip

_request_address: ContextVar[str | None] = ContextVar("harbour_request_address", default=None)


class AuditAddressMiddleware:
    """Remember where the current request came from, for audit rows."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_address.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _request_address.reset(token)


def row(
    *,
    user: User,
    action: AuditAction | str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    young_person_id: int | None = None,
    fields_changed: dict | None = None,
    detail: str = "",
    reason: str = "",
) -> AuditEvent:
    """An audit row, not yet saved: who (with their agency as it is now, kept
    by name so the trail survives a renamed or removed agency), what, about
    whom, and from the current request's address. Every writer of the trail
    builds its rows here (record, record_many, the demo's bulk writes)."""
    agency = user.agency if user.agency_id else None
    return AuditEvent(
        user_id=user.pk,
        username=user.get_username(),
        agency_id=agency.pk if agency else None,
        agency_name=agency.name if agency else "",
        action=action,
        object_type=object_type or (obj._meta.model_name if obj is not None else ""),
        object_id=obj.pk if obj is not None else None,
        young_person_id=young_person_id,
        fields_changed=fields_changed or {},
        detail=detail,
        ip_address=_request_address.get(),
        reason=reason,
    )


def record(
    *,
    user: User,
    action: AuditAction,
    obj: models.Model | None = None,
    object_type: str | None = None,
    young_person_id: int | None = None,
    fields_changed: dict | None = None,
    detail: str = "",
    reason: str = "",
) -> AuditEvent:
    event = row(
        user=user,
        action=action,
        obj=obj,
        object_type=object_type,
        young_person_id=young_person_id,
        fields_changed=fields_changed,
        detail=detail,
        reason=reason,
    )
    event.save(force_insert=True)
    return event


def changes(before: models.Model, after: models.Model, fields: Iterable[str]) -> dict:
    """{field: [old, new]} for the fields whose value differs, as text."""
    changed = {}
    for name in fields:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            changed[name] = [str(old), str(new)]
    return changed


def record_many(
    *,
    user: User,
    action: AuditAction,
    object_type: str,
    young_person_ids: Iterable[int],
    detail: str = "",
) -> None:
    """One row per child whose data a list, search or check returned (one INSERT).

    The rows differ only in the child, so the INSERT sends the row once and
    the children as one array: building and sending thousands of model
    instances (the network map audits 3,000 children a view) cost more than
    reading the map. The columns and their values are the model's own (row()
    and each field's get_db_prep_save), so the rows are those bulk_create wrote."""
    # A list names children by id; a None is no child (nothing to record).
    ids = [int(pk) for pk in dict.fromkeys(young_person_ids) if pk is not None]
    if not ids:
        return
    event = row(user=user, action=action, object_type=object_type, detail=detail)
    connection = connections[router.db_for_write(AuditEvent)]
    columns, values, params = [], [], []
    for item in AuditEvent._meta.concrete_fields:
        if item.primary_key:
            continue
        columns.append(connection.ops.quote_name(item.column))
        if item.attname == "young_person_id":
            values.append("children.id")
            continue
        values.append("%s")
        params.append(item.get_db_prep_save(item.pre_save(event, add=True), connection))
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - the model's own names
        f"SELECT {', '.join(values)} FROM unnest(%s::bigint[]) WITH ORDINALITY "
        "AS children(id, n) ORDER BY children.n"
    )
    # atomic without a savepoint, as bulk_create: the same statements
    # around the INSERT (one statement: nothing to roll back to).
    with (
        transaction.atomic(using=connection.alias, savepoint=False),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [*params, ids])


def record_duplicate_check(*, user: User, check, detail: str) -> None:
    """A duplicate check reads records the person may not see: it is recorded
    against each of them, so information governance can spot anyone using it
    to probe. `check` is a selectors.DuplicateCheck."""
    record_many(
        user=user,
        action=AuditAction.SEARCH,
        object_type="youngperson",
        young_person_ids=[p.pk for p in check.visible] + list(check.hidden_ids),
        detail=detail,
    )
