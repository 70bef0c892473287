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


@shared_task(name="cse_cases.tasks.clear_expired_api_tokens")
def clear_expired_api_tokens() -> int:
    """Daily (beat): delete expired API tokens."""
    from cse_cases.services import tokens

    return tokens.api_tokens_clear_expired()
