"""Accounts: who asks for, sees and decides changes to an account, and who
reviews sign-in activity.

Administrators manage accounts but must not be able to take one over
(docs/access.md, "Accounts and administrators"). These rules say who may ask
for an account change, who sees the changes waiting, and who approves them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cse_cases.access.roles import RECORD_ROLES, has_role, is_signed_in, may_administer
from cse_cases.access.scope import scope_for
from cse_cases.models import AccountChangeRequest, AccountChangeStatus, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def may_review_sign_in_activity(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.INFORMATION_GOVERNANCE, Role.ADMINISTRATOR)


def sign_in_activity_usernames(user: User | AnonymousUser) -> QuerySet[User, Any] | None:
    """Whose lockouts and failed sign-ins this person reviews: administrators
    everyone's (None: no narrowing, unknown usernames included, since they
    unlock accounts); information governance the accounts of the districts it
    serves (an account with no areas by its agency's)."""
    if not may_review_sign_in_activity(user):
        return User.objects.none()
    if may_administer(user):
        return None
    areas = sorted(scope_for(user).area_ids)
    return (
        User.objects.filter(Q(areas__in=areas) | Q(areas__isnull=True, agency__areas__in=areas))
        .values("username")
        .distinct()
    )


# Roles an account may be given only with a second person's approval: those
# that see records, audit trails, or manage the accounts themselves (a second
# administrator account is a second approver).
ACCESS_GRANTING_ROLES = RECORD_ROLES | {Role.INFORMATION_GOVERNANCE, Role.ADMINISTRATOR}


def may_request_account_change(user: User | AnonymousUser, account: User) -> bool:
    """Administrators ask for changes to any account; what they may not do to
    their own (role, areas, authenticator) the service refuses with a reason."""
    return may_administer(user)


def information_governance_area_ids(person: User) -> set[int]:
    """The districts an information governance officer serves: the areas on
    their account, and none when none are set (the same rule as
    governance_area_ids, for a person who need not be the one signed in)."""
    if person.role != Role.INFORMATION_GOVERNANCE:
        return set()
    return {area.pk for area in person.areas.all()}


def account_area_ids(account: User) -> set[int]:
    """The districts an account belongs to: its areas, or its agency's areas
    when it has none. Empty for an account in no district (an administrator):
    every IG officer then counts as its IG. Reads prefetched areas if present."""
    own = {area.pk for area in account.areas.all()}
    agency = account.agency if account.agency_id else None
    if own or agency is None:
        return own
    return {area.pk for area in agency.areas.all()}


def information_governance_for(area_ids: set[int]) -> QuerySet[User]:
    """Active IG officers serving any of these districts (all of them when the
    account belongs to no district)."""
    officers = User.objects.filter(is_active=True, role=Role.INFORMATION_GOVERNANCE)
    if not area_ids:
        return officers
    return officers.filter(areas__in=area_ids).distinct()


def _change_area_ids(change_request: AccountChangeRequest) -> set[int]:
    """A change concerns the districts the account is in and those it would join."""
    ids = account_area_ids(change_request.account)
    areas = change_request.changes.get("areas")
    if areas:
        ids |= set(areas[0]) | set(areas[1])
    return ids


def _serves(user: User, area_ids: set[int]) -> bool:
    return not area_ids or bool(information_governance_area_ids(user) & area_ids)


def may_review_account_changes(user: User | AnonymousUser) -> bool:
    """The page of account changes: administrators and information governance."""
    return has_role(user, Role.ADMINISTRATOR, Role.INFORMATION_GOVERNANCE)


def account_change_requests_visible_to(
    user: User | AnonymousUser,
) -> QuerySet[AccountChangeRequest]:
    """Administrators see every request; information governance those about
    accounts in the districts it serves (or in none); anyone else, the
    requests about their own account."""
    if not is_signed_in(user):
        return AccountChangeRequest.objects.none()
    if may_administer(user):
        return AccountChangeRequest.objects.all()
    if user.role == Role.INFORMATION_GOVERNANCE:
        area_ids = information_governance_area_ids(user)
        in_no_district = Q(account__areas__isnull=True) & (
            Q(account__agency__isnull=True) | Q(account__agency__areas__isnull=True)
        )
        # A change also concerns the districts it would move the account into or
        # out of (the rule account_changes_decidable_by decides by).
        moving = Q(pk__in=[])
        for area_id in area_ids:
            moving |= Q(changes__areas__0__contains=[area_id]) | Q(
                changes__areas__1__contains=[area_id]
            )
        served = (
            Q(account__areas__in=area_ids)
            | (Q(account__areas__isnull=True) & Q(account__agency__areas__in=area_ids))
            | in_no_district
            | moving
        )
        ids = AccountChangeRequest.objects.filter(served).values("pk")
        return AccountChangeRequest.objects.filter(Q(pk__in=ids) | Q(account=user))
    return AccountChangeRequest.objects.filter(account=user)


def account_change_request_for(user: User | AnonymousUser, pk: int) -> AccountChangeRequest:
    if not may_review_account_changes(user):
        raise Http404("No such account change.")
    change_request = (
        account_change_requests_visible_to(user)
        .select_related("account__agency", "requested_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if change_request is None:
        raise Http404("No such account change.")
    return change_request


def may_decide_account_change(
    user: User | AnonymousUser, change_request: AccountChangeRequest
) -> bool:
    """A second person approves or rejects: never the one who asked, nor the
    account's holder. Another administrator; or, when the asker is the only
    active administrator, information governance of the account's districts."""
    return change_request.pk in account_changes_decidable_by(user, [change_request])


def account_changes_decidable_by(
    user: User | AnonymousUser, change_requests: list[AccountChangeRequest]
) -> set[int]:
    """Which of these requests this person may decide (the rule above), in a
    fixed number of queries however many there are: prefetch each request's
    account areas and agency areas."""
    if not (is_signed_in(user) and has_role(user, Role.ADMINISTRATOR, Role.INFORMATION_GOVERNANCE)):
        return set()
    pending = [
        r
        for r in change_requests
        if r.status == AccountChangeStatus.PENDING
        and user.pk not in (r.requested_by_id, r.account_id)
    ]
    if may_administer(user):
        return {r.pk for r in pending}
    administrators = set(
        User.objects.filter(is_active=True, role=Role.ADMINISTRATOR).values_list("pk", flat=True)
    )
    served = information_governance_area_ids(user)
    return {
        r.pk
        for r in pending
        # IG decides only where no administrator but the asker (and the
        # account itself, if it is one) could.
        if not (administrators - {r.requested_by_id, r.account_id})
        and (not (areas := _change_area_ids(r)) or served & areas)
    }


def may_withdraw_account_change(
    user: User | AnonymousUser, change_request: AccountChangeRequest
) -> bool:
    return (
        may_administer(user)
        and change_request.status == AccountChangeStatus.PENDING
        and change_request.requested_by_id == user.pk
    )


def account_for(user: User | AnonymousUser, pk: int) -> User:
    """An account's page (its changes and requests): its holder, administrators,
    and information governance of its districts. Others get 404."""
    account = User.objects.select_related("agency", "team").filter(pk=pk).first()
    if account is None or not is_signed_in(user):
        raise Http404("No such account.")
    if account.pk == user.pk or may_administer(user):
        return account
    if user.role == Role.INFORMATION_GOVERNANCE and (
        _serves(user, account_area_ids(account))
        # Told of a change moving the account into their district: they see it.
        or account_change_requests_visible_to(user).filter(account=account).exists()
    ):
        return account
    raise Http404("No such account.")
