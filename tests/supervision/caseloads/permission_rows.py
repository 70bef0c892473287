"""The caseload URLs' rows of the permission matrix
(tests/cse_cases/test_permission_matrix.py takes them in).

In the story Amira leads Jade's case and is supervised by Sam; Jo is
Kingsmere's CSE lead; Rhian leads Afon Valley, where Amira does not work."""

from __future__ import annotations

from decimal import Decimal

from tests.cse_cases.permission_story import CSE_LEADS, RECORD_ROLES, SCREENERS, SEES_JADE, ok_for


def _scheme(s: dict):
    from supervision.models import WeightingScheme

    # get_or_create: the narrow-screens test asks every row in one transaction.
    return WeightingScheme.objects.get_or_create(
        version=1,
        defaults={
            "published_by": s["case"].lead_professional,
            "rationale": "Test",
            "points_high": Decimal(4),
        },
    )[0]


def _allocation(s: dict):
    from supervision.models import CaseAllocation

    case = s["case"]
    return CaseAllocation.objects.create(
        case=case,
        from_user=None,
        to_user=case.lead_professional,
        reason="Allocated at opening",
        allocated_by=case.lead_professional,
    )


def _amira(s: dict) -> dict:
    return {"pk": s["case"].lead_professional_id}


# Amira herself, her supervisor, and her district's CSE lead.
SEES_AMIRAS_CASELOAD = {"amira", "sam", "jo"}
MANAGES_AMIRA = {"sam", "jo"}

CASELOAD_ROWS: dict[str, tuple] = {
    "my-cases": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "team-caseloads": ("get", lambda s: {}, ok_for(SCREENERS)),
    "team-continuity": ("get", lambda s: {}, ok_for(SCREENERS)),
    "worker-caseload": ("get", _amira, ok_for(SEES_AMIRAS_CASELOAD)),
    "worker-capacity": ("get", _amira, ok_for(MANAGES_AMIRA)),
    "case-allocate": ("get", lambda s: {"pk": s["case"].pk}, ok_for(MANAGES_AMIRA)),
    # The lead professional records them too.
    "case-load-factors": (
        "get",
        lambda s: {"pk": s["case"].pk},
        ok_for(SEES_AMIRAS_CASELOAD),
    ),
    "weighting-schemes": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    # CSE leads; a supervisor only with the permission (test_caseload_pages).
    "weighting-publish": ("get", lambda s: {}, ok_for(CSE_LEADS)),
    "caseload-api-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "caseload-api-detail": ("get", _amira, ok_for(SEES_AMIRAS_CASELOAD)),
    "my-case-api-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    # Jade's case is Amira's (she leads) and Grace's (team around the child).
    "my-case-api-detail": ("get", lambda s: {"pk": s["case"].pk}, ok_for({"amira", "grace"})),
    "weighting-scheme-api-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "weighting-scheme-api-detail": (
        "get",
        lambda s: {"pk": _scheme(s).pk},
        ok_for(RECORD_ROLES),
    ),
    "case-allocation-api-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "case-allocation-api-detail": (
        "get",
        lambda s: {"pk": _allocation(s).pk},
        ok_for(SEES_JADE),
    ),
}
