"""Writes for API tokens and service accounts.

A key exists in clear only in the value these functions return: the page or
the command shows it once, and the database keeps its digest. Making and
revoking a token are audited (who, whose, which name, until when).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cse_cases import access, audit
from cse_cases.models import Agency, ApiToken, AuditAction, Role, User
from cse_cases.models.tokens import NAME_MAX_LENGTH
from cse_cases.services.records import RecordError

# DRF's old tokens, moved by migration 0020, carry this name until revoked.
MIGRATED_NAME = "Issued before tokens had names"


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    # The key in clear: shown once, never stored.
    key: str


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise RecordError(
            "Give the token a name that says where it is used, like 'Case system sync'.",
            field="name",
        )
    if len(name) > NAME_MAX_LENGTH:
        raise RecordError(f"The name must be {NAME_MAX_LENGTH} characters or fewer.", field="name")
    return name


def _clean_days(days: int | None) -> int:
    if days is None:
        longest: int = settings.API_TOKEN_DAYS  # django-environ is untyped
        return longest
    if not 1 <= days <= settings.API_TOKEN_DAYS:
        raise RecordError(
            f"A token can last from 1 to {settings.API_TOKEN_DAYS} days.", field="days"
        )
    return days


def _create(*, holder: User, name: str, days: int, created_by: User | None) -> IssuedToken:
    token, key = ApiToken.objects.create(
        user=holder, expiry=timedelta(days=days), name=name, created_by=created_by
    )
    return IssuedToken(token=token, key=key)


def _audit_created(*, actor: User, token: ApiToken, how: str) -> None:
    audit.record(
        user=actor,
        action=AuditAction.CREATE,
        obj=token,
        object_type="apitoken",
        detail=(
            f"API token '{token.name}' for {token.user.get_username()}, "
            f"expires {timezone.localtime(token.expiry):%Y-%m-%d %H:%M}; {how}"
        ),
    )


def api_token_create(*, by: User, name: str, days: int | None = None) -> IssuedToken:
    """A person makes a token for themselves, in a two-factor-verified session."""
    if not access.may_create_own_api_token(by):
        raise RecordError("Your account cannot hold an API token.")
    name, days = _clean_name(name), _clean_days(days)
    with transaction.atomic():
        issued = _create(holder=by, name=name, days=days, created_by=by)
        _audit_created(actor=by, token=issued.token, how="made by its holder")
    return issued


def service_token_issue(
    *, by: User, account: User, name: str, days: int | None = None
) -> IssuedToken:
    """An administrator issues a token to a partner system's service account."""
    if not access.may_issue_service_tokens(by):
        raise RecordError("Only an administrator issues tokens to service accounts.")
    if not account.is_service_account:
        raise RecordError(
            "Tokens are issued only to service accounts; people make their own.",
            field="account",
        )
    if not access.may_hold_api_token(account):
        raise RecordError(
            "This service account is inactive or cannot use the API.", field="account"
        )
    name, days = _clean_name(name), _clean_days(days)
    with transaction.atomic():
        issued = _create(holder=account, name=name, days=days, created_by=by)
        _audit_created(actor=by, token=issued.token, how="issued by an administrator")
    return issued


def api_token_create_by_command(
    *,
    user: User,
    name: str = "Issued with manage.py",
    days: int | None = None,
    replace: bool = False,
) -> IssuedToken:
    """``manage.py drf_create_token``: whoever runs it has the server itself, so
    no session is asked for, but the holder rules are the same as the pages'."""
    if not access.may_hold_api_token(user):
        raise RecordError(
            f"{user.get_username()} cannot hold an API token: the account is inactive, "
            "a demo account, or in a role that does not use the API "
            f"({Role(user.role).label})."
        )
    name, days = _clean_name(name), _clean_days(days)
    with transaction.atomic():
        if replace:
            api_tokens_revoke_all(user=user, reason="replaced with manage.py drf_create_token -r")
        issued = _create(holder=user, name=name, days=days, created_by=None)
        _audit_created(actor=user, token=issued.token, how="made with manage.py drf_create_token")
    return issued


def api_token_revoke(*, by: User, token: ApiToken) -> None:
    """Revoking deletes the token: the key stops working on the next request.
    ``token`` comes from access.api_token_for, which decided ``by`` may."""
    with transaction.atomic():
        audit.record(
            user=by,
            action=AuditAction.CHANGE,
            obj=token,
            object_type="apitoken",
            detail=f"Revoked API token '{token.name}' of {token.user.get_username()}",
        )
        ApiToken.objects.filter(pk=token.pk).delete()


def api_tokens_revoke_all(*, user: User, reason: str) -> int:
    """Every token of an account, e.g. when its password changes or it is
    deactivated. One audit row names how many went and why."""
    with transaction.atomic():
        deleted: int  # ApiToken is knox's model: untyped
        deleted, _ = ApiToken.objects.filter(user=user).delete()
        if deleted:
            audit.record(
                user=user,
                action=AuditAction.CHANGE,
                object_type="apitoken",
                detail=f"Revoked {deleted} API token{'s' if deleted != 1 else ''}: {reason}",
            )
    return deleted


def api_tokens_clear_expired() -> int:
    """Daily (beat): delete expired tokens (already refused and no longer listed)."""
    deleted: int  # ApiToken is knox's model: untyped
    deleted, _ = ApiToken.objects.filter(expiry__lte=timezone.now()).delete()
    return deleted


def service_account_create(
    *, by: User, username: str, name: str, email: str, agency: Agency
) -> User:
    """A partner system's account: a practitioner in its agency, with no
    password and no areas. Widening its access (a role or areas) is an
    account change like any other, made in the administration pages."""
    if not access.may_issue_service_tokens(by):
        raise RecordError("Only an administrator creates service accounts.")
    username, name, email = username.strip(), " ".join(name.split()), email.strip()
    if not username:
        raise RecordError(
            "Give the account a username, like 'police-case-system'.", field="username"
        )
    if not name:
        raise RecordError("Name the partner system, like 'Police case system'.", field="name")
    if not email:
        raise RecordError(
            "Give the email address of the person responsible for the system.", field="email"
        )
    if User.objects.filter(username__iexact=username).exists():
        raise RecordError("An account with this username already exists.", field="username")
    if User.objects.filter(email__iexact=email).exists():
        raise RecordError("An account with this email address already exists.", field="email")
    from cse_cases.services import accounts

    try:
        with transaction.atomic():
            # Through the account service, like any account: audited, told, and
            # (a practitioner account sees records it creates) switched on only
            # when a second person approves it.
            update = accounts.account_create(
                by=by,
                data={
                    "username": username,
                    "first_name": name[:150],
                    "email": email,
                    "job_title": "Service account",
                    "role": Role.PRACTITIONER,
                    "agency": agency.pk,
                },
                reason=f"Service account {username} ({name}) for {agency.name}",
                send_reset_link=False,
            )
            account = update.account
            User.objects.filter(pk=account.pk).update(is_service_account=True)
            account.is_service_account = True
    except accounts.AccountError as error:
        raise RecordError(error.message, field=error.field) from error
    except IntegrityError as error:
        raise RecordError("An account with this username or email already exists.") from error
    return account
