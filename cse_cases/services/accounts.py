"""Writes for the core: accounts and housekeeping.

Every write goes through a function here (keyword-only arguments, one
transaction); views and tasks stay thin.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from cse_cases.models import User


def sessions_clear_expired() -> int:
    """Delete expired sessions in one statement; returns how many went."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def user_password_changed(*, user: User) -> None:
    """A new password ends the person's API tokens and tells them by email.

    Tokens are revoked because whoever held the old password may have
    issued themselves one; an administrator issues a new token if needed.
    """
    from cse_cases import tasks
    from cse_cases.services import tokens

    tokens.api_tokens_revoke_all(user=user, reason="the password changed")
    tasks.send_password_changed_notice.delay_on_commit(user.pk)


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
