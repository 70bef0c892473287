"""The access policy for a child's record, asked directly (the URL matrix asks it
through every page and endpoint)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cse_cases import access
from cse_cases.models import BreakGlassGrant, CaseMember
from tests.conftest import verified

pytestmark = pytest.mark.django_db

# Who sees Jade's case, and why (or why not).
EXPECTED = {
    "amira": True,  # lead professional
    "grace": True,  # team around the child, from health
    "jo": True,  # CSE lead of Kingsmere
    "sam": True,  # supervises Amira
    "rhian": False,  # CSE lead, but of Afon Valley
    "ben": False,  # same agency as Amira, not on the case
    "tom": False,  # police in another district
    "priya": False,  # commissioners see no identifiable record
    "alex": False,  # nor do administrators
    "dev": False,  # information governance audits; it does not browse records
}


@pytest.mark.parametrize(("persona", "sees"), EXPECTED.items())
def test_who_sees_jades_case(persona: str, sees: bool, request, jades_case) -> None:
    user = verified(request.getfixturevalue(persona))
    assert access.cases_visible_to(user).filter(pk=jades_case.pk).exists() is sees
    assert access.young_people_visible_to(user).filter(pk=jades_case.young_person_id).exists() is (
        sees
    )
    if not sees:
        with pytest.raises(Http404):
            access.case_for(user, jades_case.pk)


def test_a_removed_team_member_loses_sight(jades_case, grace) -> None:
    CaseMember.objects.filter(user=grace).update(removed_at=timezone.now())
    assert not access.cases_visible_to(verified(grace)).exists()


def test_sharing_grants_sight_through_guardian(jades_case, tom) -> None:
    assign_perm(access.SHARED_CASE_PERMISSION, tom, jades_case)
    assert access.case_for(verified(tom), jades_case.pk) == jades_case
    # Sight, not authorship.
    assert not access.may_edit_case(tom, jades_case)


def test_break_glass_lasts_until_it_expires(jades_case, ben) -> None:
    grant = BreakGlassGrant.objects.create(
        case=jades_case,
        user=ben,
        reason="Out of hours",
        expires_at=timezone.now() + timedelta(hours=4),
    )
    assert access.cases_visible_to(verified(ben)).filter(pk=jades_case.pk).exists()
    BreakGlassGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now())
    assert not access.cases_visible_to(verified(ben)).exists()


def test_a_session_without_two_factor_sees_nothing(jades_case, amira) -> None:
    amira.is_verified = lambda: False
    assert not access.cases_visible_to(amira).exists()


def test_restricted_details(jade, jades_case, amira, grace, jo) -> None:
    assert access.may_see_restricted_details(verified(amira), jade)
    assert access.may_see_restricted_details(verified(jo), jade)
    assert not access.may_see_restricted_details(verified(grace), jade)


def test_who_may_edit(jades_case, amira, grace, jo, sam) -> None:
    assert access.may_edit_case(verified(amira), jades_case)
    assert access.may_edit_case(verified(grace), jades_case)
    assert access.may_edit_case(verified(jo), jades_case)
    assert not access.may_edit_case(verified(sam), jades_case)  # supervisors oversee


def test_visibility_is_one_query(jades_case, jo, django_assert_num_queries) -> None:
    user = verified(jo)
    access.cases_visible_to(user).exists()  # warm the content-type cache
    with django_assert_num_queries(1):
        assert access.cases_visible_to(user).count() == 1


def test_writing_a_record_gives_no_lasting_sight_of_it(kingsmere, ben) -> None:
    # Sight comes from the case (or the district, for CSE leads), never from
    # having once typed the record in.
    from tests.factories import YoungPersonFactory

    orphan = YoungPersonFactory(area=kingsmere, created_by=ben)
    assert not access.young_people_visible_to(verified(ben)).filter(pk=orphan.pk).exists()
