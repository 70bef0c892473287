"""Celery tasks for referrals: thin, load by id, call a service, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from referrals import services


@shared_task(
    name="referrals.tasks.send_referral_feedback",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_referral_feedback(referral_id: int) -> bool:
    """Email the referrer the decision and its feedback."""
    return services.referral_feedback_send(referral_id=referral_id)
