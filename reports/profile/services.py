"""The problem profile's writes: its audit rows. The profile names places
and counts police intelligence, so each time it leaves the database (the
page, the PDF, the API) information governance can see who drew which
district's profile, for which period and for whom."""

from __future__ import annotations

from cse_cases import audit
from cse_cases.models import AuditAction, User
from reports.profile.selectors import Profile

# What the reader took the profile as, for the audit row.
OUTPUTS = {
    "page": ("problem profile page", AuditAction.VIEW),
    "pdf": ("problem profile PDF", AuditAction.EXPORT),
    "api": ("problem profile (API)", AuditAction.VIEW),
}


def audit_profile(*, user: User, profile: Profile, output: str) -> None:
    what, action = OUTPUTS[output]
    audience = "disclosure-controlled" if profile.shared else "exact counts"
    audit.record(
        user=user,
        action=action,
        object_type="problem profile",
        detail=f"{what}: {profile.districts.label}, {profile.period.label} ({audience}); "
        f"districts {', '.join(map(str, profile.districts.area_ids))}",
    )
