"""The network map and the problem profile are the CSE lead's one picture:
each page links to the other, and the menu has both, for whoever may read
them (a social worker reads the map of her own cases, not the profile)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import ORDINARY_TUESDAY, signed_in_client

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(ORDINARY_TUESDAY)]


def _page(user, name: str) -> str:
    response = signed_in_client(user).get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def test_the_cse_lead_goes_from_the_map_to_the_profile_and_back(jo) -> None:
    profile, network = reverse("problem-profile"), reverse("network")
    map_page = _page(jo, "network")
    assert 'id="network-profile-link"' in map_page
    assert f'href="{profile}">the problem profile</a>' in map_page
    profile_page = _page(jo, "problem-profile")
    assert 'id="profile-network-link"' in profile_page
    assert f'href="{network}">the network map</a>' in profile_page


def test_the_menu_has_the_profile_for_those_who_read_it(jo, amira) -> None:
    link = f'href="{reverse("problem-profile")}"'
    assert link in _page(jo, "home")
    # A social worker has the map of her own cases, and no profile.
    home = _page(amira, "home")
    assert f'href="{reverse("network")}"' in home
    assert link not in home
    map_page = _page(amira, "network")
    assert 'id="network-profile-link"' not in map_page
    assert link not in map_page


def test_a_bad_filter_keeps_the_link_to_the_profile(jo) -> None:
    response = signed_in_client(jo).get(reverse("network"), {"days": "-3"})
    assert response.status_code == 400
    assert 'id="network-profile-link"' in response.content.decode()
