"""The home page: one per role, showing only real figures."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cse_cases import access, audit, home_widgets, selectors
from cse_cases.models import AuditAction, Role
from cse_cases.selectors import governance as governance_selectors


def home(request: HttpRequest) -> HttpResponse:
    # Access decisions use request.user (it carries the two-factor state);
    # the profile is the same person with what the page shows prefetched.
    user = request.user
    context: dict = {"profile": selectors.profile_for(user)}
    role = user.role
    # What features show here (referrals, assessment work) they register
    # (cse_cases/home_widgets.py).
    context["widgets"] = home_widgets.for_home(user)
    if role == Role.SUPERVISOR:
        context["teams"] = selectors.supervised_teams(user)
    if role == Role.CSE_LEAD:
        context["area_summaries"] = selectors.area_summaries(user, selectors.led_areas(user))
        context["possible_duplicates"] = duplicates = selectors.possible_duplicates_for(user)
        audit.record_many(
            user=user,
            action=AuditAction.VIEW,
            object_type="possibleduplicate",
            young_person_ids=[d.young_person_id for d in duplicates if d.new_visible]
            + [d.match_id for d in duplicates if d.match_visible],
            detail="possible duplicates to check",
        )
    if role == Role.COMMISSIONER:
        context["area_summaries"] = selectors.area_summaries(user, access.areas_visible_to(user))
    if role == Role.ADMINISTRATOR:
        context["counts"] = selectors.partnership_counts(user)
    if role == Role.INFORMATION_GOVERNANCE:
        context["break_glass_waiting"] = governance_selectors.waiting_for_review(user)
        context["serves"] = [area.name for area in user.areas.all()]
    if access.may_review_account_changes(user):
        context["account_changes_waiting"] = selectors.pending_account_changes_count(user)
    if access.may_review_sign_in_activity(user):
        context["activity"] = selectors.sign_in_activity(user)
    return render(request, f"home/{role}.html", context)
