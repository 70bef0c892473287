"""The demo caseload's assessments, meetings, actions and plans, so each area's
pages show work at every stage on a first `make run`.

seed_demo calls `seed(caseload)` for each area, after the core's caseload
(cse_cases/wiring/demo/caseload.py) and its referrals.
"""

from __future__ import annotations

from assessments.demo.assessments import seed_assessments
from assessments.demo.meetings import seed_meetings
from assessments.demo.plans import seed_plans
from cse_cases.wiring.demo.caseload import Caseload


def seed(caseload: Caseload) -> dict[str, int]:
    """Returns how many of each were made."""
    return {
        "assessments": seed_assessments(caseload),
        "meetings": seed_meetings(caseload),
        "plans": seed_plans(caseload),
    }
