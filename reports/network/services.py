"""The network map's writes: its audit rows."""

from __future__ import annotations

from cse_cases import audit
from cse_cases.models import AuditAction, User
from reports.network.selectors import Network


def audit_map_view(*, user: User, network: Network, detail: str) -> None:
    """One row for the view itself (even when nothing was drawn, over the
    budget), and one per young person it showed, so each child's "who has
    seen this" lists the map."""
    audit.record(
        user=user,
        action=AuditAction.VIEW,
        object_type="network",
        detail=f"{detail}, young people shown: {len(network.young_person_ids)}",
    )
    audit.record_many(
        user=user,
        action=AuditAction.VIEW,
        object_type="network",
        young_person_ids=network.young_person_ids,
        detail=detail,
    )
