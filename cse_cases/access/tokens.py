"""API tokens.

A token acts as its holder: the API applies the holder's access exactly as
the pages do. These rules decide who may hold, make, list and revoke tokens.
Only people who work with records hold tokens (the API serves commissioners,
information governance and administrators nothing they need a token for);
a token is refused the moment its holder could not sign in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cse_cases.access.governance import governance_area_ids
from cse_cases.access.roles import RECORD_ROLES, has_role, is_signed_in, may_administer
from cse_cases.auth_backends import HarbourModelBackend
from cse_cases.models import ApiToken, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def may_hold_api_token(holder: User) -> bool:
    """Whether this account (not necessarily the one signed in) may hold a token.

    Active, allowed to sign in (no demo account outside development), and in a
    role that works with records. Checked when a token is made and each time
    it is used, so a change of role or a deactivation stops it at once.
    """
    return bool(
        holder.is_active
        and holder.role in RECORD_ROLES
        and HarbourModelBackend().user_can_authenticate(holder)
    )


def may_create_own_api_token(user: User | AnonymousUser) -> bool:
    """A person makes their own token only in a session that passed two-factor."""
    return is_signed_in(user) and not user.is_service_account and may_hold_api_token(user)


def may_issue_service_tokens(user: User | AnonymousUser) -> bool:
    """Administrators issue tokens to partner systems' service accounts."""
    return may_administer(user)


def may_review_api_tokens(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.INFORMATION_GOVERNANCE)


def api_token_review_area_ids(user: User) -> list[int]:
    """The districts whose tokens information governance reviews: the ones it
    serves (governance_area_ids, the one rule for everything IG sees)."""
    return governance_area_ids(user)


def _holders_in_areas(area_ids: list[int]) -> Q:
    """Accounts working in these districts: by their areas, or, for an account
    with no areas (a service account, say), by the areas its agency serves."""
    return Q(user__areas__in=area_ids) | Q(
        user__areas__isnull=True, user__agency__areas__in=area_ids
    )


def api_tokens_visible_to(user: User | AnonymousUser) -> QuerySet[ApiToken]:
    """Unexpired tokens this person may see and revoke.

    The holder sees their own; information governance sees those of accounts
    in the districts it serves; administrators see service accounts' tokens
    (they issue them). Nobody sees a key: only names and dates.
    """
    if not is_signed_in(user):
        return cast("QuerySet[ApiToken]", ApiToken.objects.none())
    live = ApiToken.objects.filter(expiry__gt=timezone.now())
    condition = Q(user=user)
    if may_review_api_tokens(user):
        area_ids = api_token_review_area_ids(user)
        if area_ids:
            condition |= _holders_in_areas(area_ids)
    if may_issue_service_tokens(user):
        condition |= Q(user__is_service_account=True)
    ids = live.filter(condition).values("pk")
    # knox ships no type information: its model's manager is Any to mypy.
    return cast(
        "QuerySet[ApiToken]", live.filter(pk__in=ids).select_related("user", "user__agency")
    )


def api_token_for(user: User | AnonymousUser, pk: int) -> ApiToken:
    """A token this person may revoke, or 404 (missing and not theirs alike)."""
    token = api_tokens_visible_to(user).filter(pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    return token


def service_accounts_visible_to(user: User | AnonymousUser) -> QuerySet[User]:
    if not may_issue_service_tokens(user):
        return User.objects.none()
    return User.objects.filter(is_service_account=True)
