"""The second person: a waiting account change approved, rejected or
withdrawn, and the removal of an authenticator, which always waits.

See accounts.py for what makes a change wait (docs/access.md, "Accounts and
administrators").
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_cases import access
from cse_cases.models import AccountChangeKind, AccountChangeRequest, AccountChangeStatus, User
from cse_cases.services.accounts import (
    AccountError,
    _apply,
    _ask,
    _audit_account,
    _describe,
    _pending_for,
    _state,
    _validate,
)


@transaction.atomic
def authenticator_removal_request(*, by: User, account: User, reason: str) -> AccountChangeRequest:
    """Removing an authenticator (a lost phone) lets the next person with the
    password enrol a new one, so it waits for a second person, and the holder
    is told at once."""
    if not access.may_request_account_change(by, account):
        raise PermissionDenied
    account = User.objects.select_for_update().get(pk=account.pk)
    if account.pk == by.pk:
        raise AccountError("You cannot remove your own authenticator: ask another administrator.")
    if not reason.strip():
        raise AccountError("Say why the authenticator should be removed", field="reason")
    before = _state(account)
    if not before["authenticators"]:
        raise AccountError("This account has no authenticator to remove.")
    if _pending_for(account) is not None:
        raise AccountError(
            "A change to this account already waits for approval: it must be decided "
            "or withdrawn first (Account changes)."
        )
    return _ask(
        by=by,
        account=account,
        kind=AccountChangeKind.REMOVE_AUTHENTICATOR,
        changes={"authenticators": [len(before["authenticators"]), 0]},
        before=before,
        reason=reason.strip(),
    )


def _locked_request(change_request: AccountChangeRequest) -> AccountChangeRequest:
    locked = AccountChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if locked.status != AccountChangeStatus.PENDING:
        raise AccountError(f"This request was already {locked.get_status_display().lower()}.")
    return locked


@transaction.atomic
def account_change_decide(
    *, by: User, change_request: AccountChangeRequest, approve: bool, note: str = ""
) -> AccountChangeRequest:
    """A second person approves (the change applies, in this transaction) or
    rejects a waiting change."""
    locked = _locked_request(change_request)
    if not access.may_decide_account_change(by, locked):
        raise AccountError(
            "You cannot decide this request: a second person must, not the one who asked "
            "for it or the account's holder."
        )
    account = User.objects.select_for_update().get(pk=locked.account_id)
    current = _state(account)
    if approve and any(current.get(k) != v for k, v in locked.account_state.items()):
        raise AccountError(
            "The account has changed since this was asked for, so it cannot be approved: "
            "reject it, and the administrator can ask again."
        )
    locked.status = AccountChangeStatus.APPROVED if approve else AccountChangeStatus.REJECTED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.save()
    area_ids = {pk for pair in locked.changes.get("areas", []) for pk in pair}
    if not approve:
        _audit_account(
            by=by,
            account=account,
            changes={},
            detail=f"Rejected request {locked.pk}: {_describe(locked.changes)}",
            reason=locked.decision_note,
            area_ids=area_ids,
        )
    elif locked.kind == AccountChangeKind.REMOVE_AUTHENTICATOR:
        removed = TOTPDevice.objects.filter(user=account).delete()[0]
        _audit_account(
            by=by,
            account=account,
            changes={"authenticators": [removed, 0]},
            detail=f"Approved request {locked.pk} from {locked.requested_by}",
            reason=locked.decision_note,
        )
    else:
        after = {**current, **{f: new for f, (_, new) in locked.changes.items()}}
        _validate(account, after)
        _apply(account, locked.changes)
        _audit_account(
            by=by,
            account=account,
            changes=locked.changes,
            detail=f"Approved request {locked.pk} from {locked.requested_by}",
            reason=locked.decision_note,
            area_ids=area_ids,
        )
    change_request.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def account_change_withdraw(
    *, by: User, change_request: AccountChangeRequest
) -> AccountChangeRequest:
    locked = _locked_request(change_request)
    if not access.may_withdraw_account_change(by, locked):
        raise AccountError("Only the administrator who asked for this change may withdraw it.")
    locked.status = AccountChangeStatus.WITHDRAWN
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save()
    _audit_account(
        by=by,
        account=locked.account,
        changes={},
        detail=f"Withdrew request {locked.pk}",
    )
    change_request.__dict__.update(locked.__dict__)
    return locked
