"""Supervision sessions: Sam supervises Amira (Kingsmere's exploitation team);
Amira leads Jade's case, with Grace (a school nurse) in the team around Jade."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from supervision.sessions import services
from tests.conftest import verified


def parts(**overrides) -> services.SessionParts:
    values = {
        "held_on": timezone.localdate(),
        "duration_minutes": 60,
        "format": "one_to_one",
        "development": "Training on trauma-informed interviewing",
        "support": "Tired after a hard week with Jade",
        "mediation": "Ask for a second car for evening visits",
        "wellbeing_rating": 3,
        "wellbeing_words": "Coping, but stretched",
    }
    values.update(overrides)
    return services.SessionParts(**values)


def record(*, by, worker, held_on: date | None = None, discussions=None, **overrides):
    return services.session_record(
        by=verified(by),
        worker=worker,
        parts=parts(held_on=held_on or timezone.localdate(), **overrides),
        discussions=discussions or [],
    )


@pytest.fixture
def session(sam, amira, jades_case, grace):
    """Sam's session with Amira today: Jade's case discussed, one action for Grace."""
    return record(
        by=sam,
        worker=amira,
        discussions=[
            services.Discussion(
                case=jades_case,
                decision="Keep the weekly visits; refer to the specialist service",
                actions=[
                    services.ActionAgreed(
                        description="Book the sexual health appointment",
                        owner=grace,
                        due_on=timezone.localdate() + timedelta(days=7),
                    )
                ],
            )
        ],
    )
