"""Celery tasks for the core: thin, load by id, call a service, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from cse_cases import services


@shared_task(name="cse_cases.tasks.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Hourly (beat): delete sessions past their idle timeout."""
    return services.sessions_clear_expired()


@shared_task(name="cse_cases.tasks.clear_expired_drafts")
def clear_expired_drafts() -> int:
    """Daily (beat): delete drafts abandoned for 30 days."""
    return services.drafts_clear_expired()


@shared_task(
    name="cse_cases.tasks.send_break_glass_notice",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_break_glass_notice(grant_id: int) -> bool:
    """Tell the lead professional someone used emergency access to their case."""
    return services.break_glass_notice_send(grant_id=grant_id)


@shared_task(
    name="cse_cases.tasks.send_password_changed_notice",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_password_changed_notice(user_id: int) -> bool:
    """Tell someone their password changed, so a change they did not make is noticed."""
    return services.password_changed_notice_send(user_id=user_id)


@shared_task(
    name="cse_cases.tasks.send_account_change_notice",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_account_change_notice(event_id: int, area_ids: list[int]) -> int:
    """Tell an account's holder and their districts' information governance
    what changed on the account (or waits for approval), so a takeover is seen."""
    return services.account_change_notice_send(event_id=event_id, area_ids=area_ids)


@shared_task(
    name="cse_cases.tasks.send_password_reset_link",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_password_reset_link(user_id: int) -> bool:
    """Email the holder a link to set their own password."""
    return services.password_reset_link_send(user_id=user_id)


@shared_task(name="cse_cases.tasks.clear_expired_api_tokens")
def clear_expired_api_tokens() -> int:
    """Daily (beat): delete expired API tokens."""
    from cse_cases.services import tokens

    return tokens.api_tokens_clear_expired()
