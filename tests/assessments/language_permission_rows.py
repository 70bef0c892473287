"""The language check's rows of the permission matrix
(tests/cse_cases/test_permission_matrix.py takes them in).

Everyone who writes in records is checked as they type and may keep their
words with a reason; commissioners and administrators write in no record and
get 404. Supervisors and CSE leads read the language report."""

from __future__ import annotations

from assessments.language.rules import check
from tests.cse_cases.permission_story import RECORD_ROLES, ok_for

# A phrase the check flags, for the keep's row (the rules are data: ask them).
KEPT = check("Kai is in a relationship with a 30-year-old.")[0]

LANGUAGE_ROWS: dict[str, tuple] = {
    "language-rules": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "language-check": (
        "post",
        lambda s: {},
        ok_for(RECORD_ROLES),
        {"field": "text", "text": "She is putting herself at risk"},
    ),
    # Anyone who writes in records may keep their words (with a reason);
    # commissioners and administrators write in none: 404.
    "language-keep": (
        "post",
        lambda s: {},
        ok_for(RECORD_ROLES),
        {
            "field": "text",
            "text": "Kai is in a relationship with a 30-year-old.",
            "rule": KEPT.rule,
            "phrase": KEPT.phrase,
            "reason_input": "text-language-reason-1",
            "text-language-reason-1": "Quoting Kai",
        },
    ),
    "language-api-rules": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "language-api-check": (
        "post",
        lambda s: {},
        ok_for(RECORD_ROLES),
        {"text": "She is putting herself at risk"},
    ),
    "language-api-keeps": (
        "post",
        lambda s: {},
        ok_for(RECORD_ROLES, 201),
        {
            "text": "Kai is in a relationship with a 30-year-old.",
            "rule": KEPT.rule,
            "phrase": KEPT.phrase,
            "reason": "Quoting Kai",
            "field": "text",
        },
    ),
    # Supervisors and CSE leads raise wording in supervision.
    "language-report": ("get", lambda s: {}, ok_for({"jo", "sam", "rhian"})),
}
