"""Account changes by administrators (docs/access.md, "Accounts and administrators").

Every write goes through a function here (keyword-only arguments, one
transaction); views and tasks stay thin. What waits for a second person is
decided in account_approvals.py; passwords and sessions are in passwords.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_cases import access, audit, background
from cse_cases.models import (
    AccountChangeKind,
    AccountChangeRequest,
    AccountChangeStatus,
    Area,
    AuditAction,
    AuditEvent,
    Team,
    User,
)
from cse_cases.selectors.accounts import FIELD_LABELS, labelled_changes

# --- Account changes (docs/access.md, "Accounts and administrators") --------------
# An administrator manages accounts without being able to take one over: every
# change is audited with before and after and told to the holder and their
# districts' information governance; a change that gives record access, and
# the removal of an authenticator, wait for a second person; nobody sets
# another person's password (they are sent a link to set their own).

PERSONAL_FIELDS = ("username", "first_name", "last_name", "email", "job_title")
ACCESS_FIELDS = ("role", "agency", "team", "areas", "is_active")
ACCOUNT_FIELDS = PERSONAL_FIELDS + ACCESS_FIELDS
# The address password links go to: whoever controls it can set the password
# of an account not yet enrolled, or of one whose authenticator is removed.
# On an account that sees records it changes only with a second person.
CREDENTIAL_FIELDS = ("email",)


# What an account must still look like for a waiting change to be approved.
STALE_IF_CHANGED = ("role", "agency", "team", "areas", "is_active", "email", "authenticators")


class AccountError(Exception):
    """A refused account change, with the message to show."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class AccountUpdate:
    """What an account change did: the fields applied now ({field: [old, new]}),
    and the request left waiting for a second person, if any."""

    account: User
    applied: dict
    pending: AccountChangeRequest | None


# value: a model instance, an id from a form or an audit row, or blank.
def _pk(value: Any) -> int | None:
    return getattr(value, "pk", value) if value not in (None, "") else None


def _normalise(field: str, value: Any) -> object:
    if field in ("agency", "team"):
        return _pk(value)
    if field == "areas":
        return sorted({pk for a in value or [] if (pk := _pk(a)) is not None})
    if field == "is_active":
        return bool(value)
    return "" if value is None else str(value)


def _state(account: User) -> dict:
    """The account as comparable data (no password: it is never compared or shown)."""
    state = {field: _normalise(field, getattr(account, field)) for field in ACCOUNT_FIELDS[:-2]}
    state["is_active"] = account.is_active
    state["areas"] = sorted(account.areas.values_list("pk", flat=True))
    state["authenticators"] = sorted(
        TOTPDevice.objects.filter(user=account).values_list("pk", flat=True)
    )
    return state


def _grants_access(before: dict, after: dict) -> bool:
    """Whether the change gives the account sight of records, audit trails or
    accounts it did not have: see docs/access.md."""
    if not after["is_active"] or after["role"] not in access.ACCESS_GRANTING_ROLES:
        return False
    return (
        before["role"] != after["role"]
        or bool(set(after["areas"]) - set(before["areas"]))
        or before["agency"] != after["agency"]
        or (before["team"] != after["team"] and after["team"] is not None)
        or not before["is_active"]
        or before["email"] != after["email"]
    )


def _labels(changes: dict) -> dict:
    """{field: [old, new]} as text a person reads: names for agency, team and areas."""
    return labelled_changes([changes], role_labels=False)[0]


def _describe(changes: dict) -> str:
    return "; ".join(
        f"{FIELD_LABELS.get(field, field)}: {old or 'none'} to {new or 'none'}"
        for field, (old, new) in _labels(changes).items()
    )


def _validate(account: User, after: dict) -> None:
    """The model's own rules (agency required, team in the agency, unique
    username and email) on the account as it would be."""
    candidate = User.objects.get(pk=account.pk) if account.pk else User()
    for field in (*PERSONAL_FIELDS, "role", "is_active"):
        setattr(candidate, field, after[field])
    candidate.agency_id = after["agency"]
    candidate.team_id = after["team"]
    try:
        candidate.full_clean(exclude=["password", "last_login", "date_joined"])
    except ValidationError as error:
        field, messages_ = next(iter(error.message_dict.items()))
        raise AccountError(messages_[0], field=None if field == "__all__" else field) from error
    if len(after["areas"]) != Area.objects.filter(pk__in=after["areas"]).count():
        raise AccountError("Choose areas from the list", field="areas")


def _proposed(before: dict, data: dict) -> dict:
    unknown = set(data) - set(ACCOUNT_FIELDS)
    if unknown:
        raise AccountError(
            f"{', '.join(sorted(unknown))} cannot be changed here: passwords are set by "
            "their holder from a reset link, and nobody is a superuser."
        )
    after = dict(before)
    for field, value in data.items():
        after[field] = _normalise(field, value)
    return after


def _diff(before: dict, after: dict, fields: tuple[str, ...] = ACCOUNT_FIELDS) -> dict:
    return {f: [before[f], after[f]] for f in fields if before[f] != after[f]}


def account_update_check(*, by: User, account: User, data: dict) -> dict:
    """Refuse, with a reason, what an administrator may not ask for; returns the
    change as {field: [old, new]}. Django admin's form calls this to show the
    refusal beside the fields."""
    if not access.may_request_account_change(by, account):
        raise PermissionDenied
    before = _state(account)
    after = _proposed(before, data)
    changes = _diff(before, after)
    if account.pk == by.pk and ({"role", "areas"} & set(changes)):
        raise AccountError(
            "You cannot change your own role or areas: ask another administrator.",
            field="role" if "role" in changes else "areas",
        )
    if changes:
        _validate(account, after)
    if _grants_access(before, after) and _pending_for(account) is not None:
        raise AccountError(
            "A change to this account already waits for approval: it must be decided "
            "or withdrawn first (Account changes)."
        )
    return changes


def _pending_for(account: User) -> AccountChangeRequest | None:
    return AccountChangeRequest.objects.filter(
        account=account, status=AccountChangeStatus.PENDING
    ).first()


def _audit_account(
    *,
    by: User,
    account: User,
    changes: dict,
    detail: str,
    reason: str = "",
    area_ids: set[int] | None = None,
) -> AuditEvent:
    """The audit row and, after the commit, the emails to the holder and IG."""
    event = audit.record(
        user=by,
        action=AuditAction.ACCOUNT,
        obj=account,
        object_type="user",
        fields_changed=_labels(changes),
        detail=detail,
        reason=reason,
    )
    areas = set(area_ids or ()) | access.account_area_ids(account)
    background.send_on_commit("cse_cases.tasks.send_account_change_notice", event.pk, sorted(areas))
    return event


def _apply(account: User, changes: dict) -> None:
    for field, (_, new) in changes.items():
        if field == "areas":
            continue
        if field in ("agency", "team"):
            setattr(account, f"{field}_id", new)
        else:
            setattr(account, field, new)
    account.save()
    if "areas" in changes:
        account.areas.set(changes["areas"][1])


def _ask(
    *, by: User, account: User, kind: str, changes: dict, before: dict, reason: str
) -> AccountChangeRequest:
    change_request = AccountChangeRequest.objects.create(
        account=account,
        kind=kind,
        changes=changes,
        # Only what frames the change: a new job title does not make it stale.
        account_state={k: before[k] for k in STALE_IF_CHANGED},
        reason=reason,
        requested_by=by,
    )
    area_ids = set(changes.get("areas", [[], []])[0]) | set(changes.get("areas", [[], []])[1])
    _audit_account(
        by=by,
        account=account,
        changes={},
        detail=(
            f"Asked for a second person's approval (request {change_request.pk}): "
            f"{_describe(changes)}"
        ),
        reason=reason,
        area_ids=area_ids,
    )
    return change_request


@transaction.atomic
def account_update(*, by: User, account: User, data: dict, reason: str = "") -> AccountUpdate:
    """Change an account. Names and job title apply at once; a change that
    gives record access, or a new email address for an account that sees
    records (password links go there), waits, whole, for a second person."""
    account = User.objects.select_for_update().get(pk=account.pk)
    changes = account_update_check(by=by, account=account, data=data)
    if not changes:
        return AccountUpdate(account=account, applied={}, pending=None)
    before = _state(account)
    after = _proposed(before, data)
    if _grants_access(before, after):
        waits = ACCESS_FIELDS + CREDENTIAL_FIELDS
        now = {f: pair for f, pair in changes.items() if f not in waits}
        later = {f: pair for f, pair in changes.items() if f in waits}
    else:
        now, later = changes, {}
    if now:
        _apply(account, now)
        _audit_account(
            by=by,
            account=account,
            changes=now,
            detail="Changed the account",
            reason=reason,
            area_ids=set(before["areas"]),
        )
    pending = None
    if later:
        state = _state(account) if now else before
        pending = _ask(
            by=by,
            account=account,
            kind=AccountChangeKind.CHANGE,
            changes=later,
            before=state,
            reason=reason,
        )
    return AccountUpdate(account=account, applied=now, pending=pending)


@transaction.atomic
def account_create(
    *, by: User, data: dict, reason: str = "", send_reset_link: bool = True
) -> AccountUpdate:
    """A new account, with no password: its holder is emailed a link to set
    one (not a partner system's service account, which never signs in). An
    account that would see records starts switched off, waiting for a second
    person to switch it on."""
    if not access.may_administer(by):
        raise PermissionDenied
    blank: dict[str, object] = {
        **dict.fromkeys(PERSONAL_FIELDS, ""),
        "role": "",
        "agency": None,
        "team": None,
        "areas": [],
        "is_active": False,
        "authenticators": [],
    }
    after = _proposed(blank, {"is_active": True, **data})
    _validate(User(), after)
    wants_access = _grants_access(blank, after)
    account = User(
        **{f: after[f] for f in PERSONAL_FIELDS},
        role=after["role"],
        agency_id=after["agency"],
        team_id=after["team"],
        is_active=after["is_active"] and not wants_access,
    )
    account.set_unusable_password()
    account.save()
    account.areas.set(after["areas"])
    created = _diff({**blank, "is_active": False}, {**after, "is_active": account.is_active})
    _audit_account(
        by=by,
        account=account,
        changes=created,
        detail="Created the account",
        reason=reason,
    )
    pending = None
    if wants_access:
        pending = _ask(
            by=by,
            account=account,
            kind=AccountChangeKind.CHANGE,
            changes={"is_active": [False, True]},
            before=_state(account),
            reason=reason or "New account",
        )
    if send_reset_link:
        background.send_on_commit("cse_cases.tasks.send_password_reset_link", account.pk)
    return AccountUpdate(account=account, applied=created, pending=pending)


def account_change_notice_send(*, event_id: int, area_ids: list[int]) -> int:
    """Tell the holder (at the old address too, when it changed) and the
    information governance of the account's districts; one email each, naming
    no child. Returns how many were sent."""
    event = AuditEvent.objects.filter(pk=event_id, action=AuditAction.ACCOUNT).first()
    if event is None or event.object_id is None:
        return 0
    account = User.objects.filter(pk=event.object_id).first()
    if account is None:
        return 0
    holder = {account.email} if account.email else set()
    if "email" in event.fields_changed and event.fields_changed["email"][0]:
        holder.add(event.fields_changed["email"][0])
    officers = {
        person.email
        for person in access.information_governance_for(set(area_ids))
        .exclude(pk__in=[account.pk, event.user_id])
        .only("email")
        if person.email
    } - holder
    link = f"{settings.SITE_URL}{reverse('account', args=[account.pk])}"
    context = {
        "event": event,
        "account": account,
        "link": link,
        "changes": [
            (FIELD_LABELS.get(field, field), old, new)
            for field, (old, new) in event.fields_changed.items()
        ],
    }
    sent = 0
    for address, subject, holder_copy in [
        *[(a, "A change to your Harbour account", True) for a in sorted(holder)],
        *[(a, "A change to a Harbour account in your area", False) for a in sorted(officers)],
    ]:
        body = render_to_string(
            "accounts/email_account_change.txt", {**context, "to_holder": holder_copy}
        )
        send_mail(
            subject=subject,
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
        )
        sent += 1
    return sent


@transaction.atomic
def team_supervisor_changed(*, by: User, team: Team, before: User | None) -> None:
    """A team's supervisor sees every case its members work on (DESIGN.md
    section 4), so a new supervisor is, in effect, an account given record
    access: recorded on both accounts' trails and told to them and their
    districts' information governance, like any account change."""
    after = team.supervisor
    if (before.pk if before else None) == (after.pk if after else None):
        return
    label = f"supervisor of {team}"
    for account, change in ((before, [label, ""]), (after, ["", label])):
        if account is not None:
            _audit_account(
                by=by,
                account=account,
                changes={"supervises": change},
                detail=f"Team {team}: supervisor changed (sees the cases its members work on)",
            )
