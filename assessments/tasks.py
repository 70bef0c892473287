"""Thin tasks: load by id, call a service. Safe to run twice (an email twice
is the worst case, and says nothing about a child)."""

from __future__ import annotations

from celery import shared_task

from assessments.meetings import services


@shared_task(
    name="assessments.tasks.send_action_notice",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_action_notice(action_id: int) -> bool:
    return services.action_notice_send(action_id=action_id)


@shared_task(
    name="assessments.tasks.send_distribution_notice",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_distribution_notice(distribution_id: int) -> bool:
    return services.distribution_notice_send(distribution_id=distribution_id)


@shared_task(
    name="assessments.tasks.send_meeting_moved_notice",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_meeting_moved_notice(meeting_id: int, user_id: int) -> bool:
    return services.meeting_moved_notice_send(meeting_id=meeting_id, user_id=user_id)
