"""Reads for the core, each scoped by the access policy."""

from cse_cases.selectors.partnership import (
    AreaSummary,
    LockedAccount,
    PartnershipCounts,
    SignInActivity,
    area_summaries,
    led_areas,
    partnership_counts,
    profile_for,
    sign_in_activity,
    supervised_teams,
)
from cse_cases.selectors.records import (
    DuplicateCheck,
    audit_trail,
    change_history,
    duplicate_candidates,
    open_case,
    possible_duplicates_for,
    recent_break_glass,
    record_page,
    search_young_people,
    who_has_seen,
)

__all__ = [
    "AreaSummary",
    "DuplicateCheck",
    "LockedAccount",
    "PartnershipCounts",
    "SignInActivity",
    "area_summaries",
    "audit_trail",
    "change_history",
    "duplicate_candidates",
    "led_areas",
    "open_case",
    "partnership_counts",
    "possible_duplicates_for",
    "profile_for",
    "recent_break_glass",
    "record_page",
    "search_young_people",
    "sign_in_activity",
    "supervised_teams",
    "who_has_seen",
]
