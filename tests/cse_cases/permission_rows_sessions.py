"""The permission matrix's rows for supervision sessions (included in MATRIX
by tests/cse_cases/test_permission_matrix.py). The story's session is Sam's
with Amira, discussing Jade's case; it is made by each row that asks."""

from __future__ import annotations

from tests.cse_cases.permission_story import RECORD_ROLES, ok_for

# The pair, and Kingsmere's information governance (metadata only).
SEES_SESSION = {"sam", "amira", "dev"}
# The list: everyone with records, and information governance.
SESSION_LIST = RECORD_ROLES | {"dev", "iwan"}


def story_session(s: dict):
    """Made inside each row's test (the story is the module's, and every
    test's own rows are rolled back after it), so never kept in the story."""
    from supervision.sessions.services import Discussion
    from tests.supervision.sessions.conftest import record

    return record(
        by=s["team"].supervisor,
        worker=s["case"].lead_professional,
        discussions=[Discussion(case=s["case"], decision="Keep the weekly visits")],
    )


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
