"""Passwords and sessions: what a new password or a deactivation ends, the
emails that tell the holder, and the reset link an administrator sends
(nobody sets another person's password).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cse_cases import access, background
from cse_cases.models import User
from cse_cases.services.accounts import AccountError, _audit_account


def sessions_clear_expired() -> int:
    """Delete expired sessions in one statement; returns how many went."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def user_password_changed(*, user: User) -> None:
    """A new password ends the person's API tokens and tells them by email.

    Tokens are revoked because whoever held the old password may have
    issued themselves one; an administrator issues a new token if needed.
    """
    from cse_cases.services import tokens

    tokens.api_tokens_revoke_all(user=user, reason="the password changed")
    background.send_on_commit("cse_cases.tasks.send_password_changed_notice", user.pk)


def user_deactivated(*, user: User) -> None:
    """A deactivated account keeps no API token (its sessions stop at once:
    Django no longer loads an inactive user)."""
    from cse_cases.services import tokens

    tokens.api_tokens_revoke_all(user=user, reason="the account was deactivated")


def password_changed_notice_send(*, user_id: int) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    body = render_to_string("emails/password_changed.txt", {"user": user})
    send_mail(
        subject="Your Harbour password was changed",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return True


@transaction.atomic
def password_reset_send(*, by: User, account: User) -> None:
    """An administrator never sets someone's password: Harbour emails the
    holder a link to set their own (Django's one-use reset token)."""
    if not access.may_request_account_change(by, account):
        raise PermissionDenied
    if not account.email:
        raise AccountError("This account has no email address to send a link to.")
    _audit_account(
        by=by, account=account, changes={}, detail="Sent a password reset link to the holder"
    )
    background.send_on_commit("cse_cases.tasks.send_password_reset_link", account.pk)


def password_reset_link_send(*, user_id: int) -> bool:
    """Email the holder (only the holder) a link to set their password."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return False
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = f"{settings.SITE_URL}{reverse('password-reset-confirm', args=[uid, token])}"
    body = render_to_string("accounts/email_password_reset.txt", {"user": user, "link": link})
    send_mail(
        subject="Set your Harbour password",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return True
