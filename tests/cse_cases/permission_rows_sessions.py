"""The permission matrix's rows for supervision sessions (included in MATRIX
by tests/cse_cases/test_permission_matrix.py). The story's session is Sam's
with Amira, discussing Jade's case; it is made the first time a row asks."""

from __future__ import annotations

from tests.cse_cases.permission_story import PERSONAS, RECORD_ROLES

# The pair, and Kingsmere's information governance (metadata only).
SEES_SESSION = {"sam", "amira", "dev"}
# The list: everyone with records, and information governance.
SESSION_LIST = RECORD_ROLES | {"dev", "iwan"}


def ok_for(allowed: set[str], ok: int = 200) -> dict[str, int]:
    return {p: (ok if p in allowed else 404) for p in PERSONAS}


def story_session(s: dict):
    if "supervision_session" not in s:
        from supervision.sessions.services import Discussion
        from tests.supervision.sessions.conftest import record

        sam = s["team"].supervisor
        s["supervision_session"] = record(
            by=sam,
            worker=s["case"].lead_professional,
            discussions=[Discussion(case=s["case"], decision="Keep the weekly visits")],
        )
    return s["supervision_session"]


SESSION_ROWS: dict[str, tuple] = {
    "supervision-sessions": ("get", lambda s: {}, ok_for(SESSION_LIST)),
    # Without ?worker= nobody may start one; with it, only the worker's
    # supervisor (tests/cse_cases/test_permission_matrix_sessions.py).
    "supervision-session-new": ("get", lambda s: {}, ok_for(set())),
    "supervision-session": ("get", lambda s: {"pk": story_session(s).pk}, ok_for(SEES_SESSION)),
    "supervision-session-edit": ("get", lambda s: {"pk": story_session(s).pk}, ok_for({"sam"})),
    "supervision-session-reflection": (
        "get",
        lambda s: {"pk": story_session(s).pk},
        ok_for({"amira"}),
    ),
    "supervision-session-api-list": ("get", lambda s: {}, ok_for(SESSION_LIST)),
    "supervision-session-api-detail": (
        "get",
        lambda s: {"pk": story_session(s).pk},
        ok_for(SEES_SESSION),
    ),
}
