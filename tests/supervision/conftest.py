"""Drift engine fixtures."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from cse_cases import services as core
from tests.conftest import verified


def record_returned_episode(
    *,
    by,
    young_person,
    days_ago: int = 5,
    returned_at: datetime | None = None,
    missing_for: timedelta = timedelta(hours=10),
    risk_grading: str = "medium",
):
    """A missing episode that ended `days_ago` days ago (or at `returned_at`),
    reported an hour after they were last seen, with no return interview."""
    returned = returned_at or timezone.now() - timedelta(days=days_ago)
    return core.missing_episode_record(
        by=verified(by),
        young_person=young_person,
        data={
            "last_seen_at": returned - missing_for,
            "reported_at": returned - missing_for + timedelta(hours=1),
            "returned_at": returned,
            "risk_grading": risk_grading,
            "missing_or_absent": "missing",
            "missing_from": "home",
        },
    )
