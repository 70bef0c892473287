"""What every page's shell needs: the service name and role-based navigation."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from cse_cases import access


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation_for(request: HttpRequest) -> list[NavItem]:
    """Links to the pages this person may use; nothing they would be refused."""
    # A request refused early (a bad Host header) has no user at all.
    user = getattr(request, "user", None)
    if user is None or not access.is_signed_in(user):
        return []
    items = [("Home", reverse("home"))]
    if access.may_see_identifiable_records(user):
        items.append(("Your cases", reverse("my-cases")))
        items.append(("Young people", reverse("young-people")))
        items.append(("Referrals", reverse("referrals")))
        items.append(("My work", reverse("my-work")))
        if access.may_see_team_flags(user):
            items.append(("Team flags", reverse("team-flags")))
        if access.may_see_caseloads(user):
            items.append(("Team caseloads", reverse("team-caseloads")))
        items.append(("Meetings", reverse("meetings")))
        items.append(("Your actions", reverse("my-actions")))
        items.append(("Supervision", reverse("supervision-sessions")))
        items.append(("Persons of concern", reverse("persons-of-concern")))
        items.append(("Places", reverse("locations")))
        if access.may_see_network(user):
            items.append(("Network map", reverse("network")))
        if access.may_read_profile(user):
            items.append(("Problem profile", reverse("problem-profile")))
    elif access.has_role(user, access.Role.INFORMATION_GOVERNANCE):
        # That sessions happened, in their districts (never what was said).
        items.append(("Supervision", reverse("supervision-sessions")))
    if access.may_administer(user):
        items.append(("Administration", reverse("admin:index")))
    items.append(("API", reverse("api-docs")))
    if access.may_create_own_api_token(user):
        items.append(("API tokens", reverse("api-tokens")))
    if access.may_review_api_tokens(user):
        items.append(("API tokens", reverse("api-token-review")))
    if access.may_issue_service_tokens(user):
        items.append(("Partner systems", reverse("service-tokens")))
    items.append(("Your account", reverse("password-change")))
    path = request.path
    return [
        NavItem(label, url, active=(path == url if url == "/" else path.startswith(url)))
        for label, url in items
    ]


def harbour(request: HttpRequest) -> dict:
    return {
        "service_name": "Harbour",
        "navigation": navigation_for(request),
        "session_idle_minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES,
        "show_demo_banner": settings.DEBUG,
    }
