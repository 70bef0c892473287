"""Drift engine fixtures."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cse_cases import services as core
from tests.conftest import verified


def record_returned_episode(*, by, young_person, days_ago: int = 5):
    """A missing episode that ended `days_ago` days ago, with no return interview."""
    returned = timezone.now() - timedelta(days=days_ago)
    return core.missing_episode_record(
        by=verified(by),
        young_person=young_person,
        data={
            "last_seen_at": returned - timedelta(hours=10),
            "reported_at": returned - timedelta(hours=9),
            "returned_at": returned,
            "risk_grading": "medium",
            "missing_or_absent": "missing",
            "missing_from": "home",
        },
    )
