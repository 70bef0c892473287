""" "Team flags" is in the navigation for those who may open it: CSE leads and
supervisors, and nobody else (issue 15, item 5)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import signed_in_client

LINK = re.compile(
    r'<a class="govuk-service-navigation__link" href="([^"]+)"[^>]*>'
    r"\s*(?:<strong[^>]*>)?\s*Team flags"
)


def nav_link(user) -> str | None:
    match = LINK.search(signed_in_client(user).get(reverse("home")).content.decode())
    return match.group(1) if match else None


@pytest.mark.parametrize("persona", ["jo", "sam"])
def test_cse_leads_and_supervisors_have_team_flags_in_the_navigation(persona, request):
    user = request.getfixturevalue(persona)
    assert nav_link(user) == reverse("team-flags")
    assert signed_in_client(user).get(reverse("team-flags")).status_code == 200


@pytest.mark.parametrize("persona", ["amira", "priya", "dev", "alex"])
def test_no_one_else_is_offered_team_flags(persona, request):
    user = request.getfixturevalue(persona)
    assert nav_link(user) is None
    # The link is missing because the page is refused, not hidden by chance.
    assert signed_in_client(user).get(reverse("team-flags")).status_code == 404


def test_the_link_is_marked_current_on_the_team_page(sam):
    page = signed_in_client(sam).get(reverse("team-flags")).content.decode()
    assert re.search(r'href="/team/flags/" aria-current="page"', page)
