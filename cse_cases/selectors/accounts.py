"""Reads about accounts and the changes waiting on them, scoped by the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from cse_cases import access
from cse_cases.models import (
    AccountChangeRequest,
    AccountChangeStatus,
    Agency,
    Area,
    AuditAction,
    AuditEvent,
    Team,
    User,
)

FIELD_LABELS = {
    "username": "Username",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email address",
    "job_title": "Job title",
    "role": "Role",
    "agency": "Agency",
    "team": "Team",
    "areas": "Areas",
    "is_active": "Active",
    "authenticators": "Authenticators",
}
RECENT_DECIDED = 20
RECENT_ACCOUNT_EVENTS = 50


def labelled_changes(all_changes: list[dict], *, role_labels: bool = True) -> list[dict]:
    """Each {field: [old, new]} (ids for agency, team and areas) as text a
    person reads, in three queries for the whole list. The audit keeps a
    role's value (role_labels=False), which does not change with wording."""
    ids: dict[str, set[int]] = {"agency": set(), "team": set(), "areas": set()}
    for changes in all_changes:
        for field, pair in changes.items():
            if field == "areas":
                ids["areas"] |= {pk for side in pair for pk in side}
            elif field in ("agency", "team"):
                ids[field] |= {pk for pk in pair if pk}
    names = {
        "agency": dict(Agency.objects.filter(pk__in=ids["agency"]).values_list("pk", "name")),
        "team": {t.pk: str(t) for t in Team.objects.filter(pk__in=ids["team"]).select_related()},
        "areas": dict(Area.objects.filter(pk__in=ids["areas"]).values_list("pk", "name")),
    }

    # value: JSON from an audit row (an id, a list of ids, a role, text...).
    def text(field: str, value: Any) -> str:
        if field == "areas":
            return ", ".join(sorted(names["areas"].get(pk, str(pk)) for pk in value))
        if field in ("agency", "team"):
            return names[field].get(value, "") if value else ""
        if field == "role" and value and role_labels:
            return str(access.Role(value).label)
        return str(value)

    return [
        {field: [text(field, old), text(field, new)] for field, (old, new) in changes.items()}
        for changes in all_changes
    ]


@dataclass(frozen=True)
class ChangeRow:
    request: AccountChangeRequest
    changes: list[tuple[str, str, str]]  # (label, old, new)
    may_decide: bool
    may_withdraw: bool


def _rows(user: User, requests: list[AccountChangeRequest]) -> list[ChangeRow]:
    decidable = access.account_changes_decidable_by(user, requests)
    labelled = labelled_changes([r.changes for r in requests])
    return [
        ChangeRow(
            request=r,
            changes=[(FIELD_LABELS.get(f, f), old, new) for f, (old, new) in text.items()],
            may_decide=r.pk in decidable,
            may_withdraw=access.may_withdraw_account_change(user, r),
        )
        for r, text in zip(requests, labelled, strict=True)
    ]


def _with_people(requests: QuerySet[AccountChangeRequest]) -> QuerySet[AccountChangeRequest]:
    return requests.select_related(
        "account__agency", "requested_by", "decided_by"
    ).prefetch_related("account__areas", "account__agency__areas")


@dataclass(frozen=True)
class AccountChangesPage:
    pending: list[ChangeRow]
    decided: list[ChangeRow]


def account_changes_page(user: User) -> AccountChangesPage:
    visible = _with_people(access.account_change_requests_visible_to(user))
    pending = list(visible.filter(status=AccountChangeStatus.PENDING).order_by("requested_at"))
    decided = list(visible.exclude(status=AccountChangeStatus.PENDING)[:RECENT_DECIDED])
    return AccountChangesPage(pending=_rows(user, pending), decided=_rows(user, decided))


def account_change_row(user: User, change_request: AccountChangeRequest) -> ChangeRow:
    return _rows(user, [change_request])[0]


def pending_account_changes_count(user: User) -> int:
    """For the home page: changes waiting that this person can see."""
    return (
        access.account_change_requests_visible_to(user)
        .filter(status=AccountChangeStatus.PENDING)
        .count()
    )


def account_events(account: User, limit: int = RECENT_ACCOUNT_EVENTS) -> list[AuditEvent]:
    """The account's own audit rows: what was changed, asked for and decided,
    each with `changes` as (label, old, new) for the page."""
    events = list(
        AuditEvent.objects.filter(
            action=AuditAction.ACCOUNT, object_type="user", object_id=account.pk
        )[:limit]
    )
    for event in events:
        event.changes = [
            (FIELD_LABELS.get(field, field), *pair) for field, pair in event.fields_changed.items()
        ]
    return events


@dataclass(frozen=True)
class AccountPage:
    account: User
    events: list[AuditEvent]
    requests: list[ChangeRow]


def account_page(user: User, account: User) -> AccountPage:
    account = (
        User.objects.select_related("agency", "team")
        .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("name")))
        .get(pk=account.pk)
    )
    requests = list(_with_people(AccountChangeRequest.objects.filter(account=account))[:20])
    return AccountPage(
        account=account, events=account_events(account), requests=_rows(user, requests)
    )
