"""What a record merge does with supervision's case discussions (cse_cases/merge.py)."""

from __future__ import annotations


def register() -> None:
    from cse_cases import merge
    from supervision.sessions.models import CaseDiscussion

    merge.stays(CaseDiscussion, "case", "points at a case, and cases move whole with their history")
