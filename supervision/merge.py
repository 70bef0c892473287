"""What a record merge does with the drift engine's flags (see cse_cases/merge.py)."""

from __future__ import annotations

from cse_cases import background
from cse_cases.merge import Merge
from supervision.models import Flag


def move_flags(m: Merge) -> int:
    """Flags about the duplicate are about the child the record kept is
    about: all of them move (resolved ones are the record's history). Open
    ones take the kept record's district at once, so escalation reaches its
    CSE leads; their owner and team follow on the sweep sent when the merge
    commits, which compares each open flag with its rule (supervision/engine.py)."""
    flags = Flag.objects.filter(young_person=m.duplicate)
    flags.filter(resolved_at__isnull=True).update(area=m.keep.area_id)
    moved = flags.update(young_person=m.keep)
    if moved:
        background.send_on_commit("supervision.tasks.sweep_flags")
    return moved


def register() -> None:
    from cse_cases import merge
    from supervision.models import CaseAllocation, CaseLoadFactors

    merge.register(Flag, "young_person", "flags", move_flags, order=merge.FLAGS)
    # A case's load factors and its moves between workers are the case's own
    # history: they go where the case goes.
    merge.stays(
        CaseLoadFactors, "case", "points at a case, and cases move whole with their history"
    )
    merge.stays(CaseAllocation, "case", "points at a case, and cases move whole with their history")
