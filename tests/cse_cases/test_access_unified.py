"""Rules that used to be decided in views, serializers or selectors, now asked
of the access package: each one-lookup answer agrees with the separate
questions it replaces, for every persona."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cse_cases import access, selectors
from cse_cases.models import BreakGlassGrant, Case, CaseMember
from tests.conftest import verified
from tests.factories import CaseFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["amira", "grace", "jo", "sam", "rhian", "ben", "tom", "priya", "alex", "dev"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_case_access_answers_read_and_write_as_the_two_questions_did(
    persona, request, jades_case
) -> None:
    user = verified(request.getfixturevalue(persona))
    sees = access.cases_visible_to(user).filter(pk=jades_case.pk).exists()
    if not sees:
        with pytest.raises(Http404):
            access.case_access_for(user, jades_case.pk)
        return
    found = access.case_access_for(user, jades_case.pk)
    assert found.case == jades_case
    assert found.can_edit is access.may_edit_case(user, jades_case)
    if not found.can_edit:
        with pytest.raises(Http404):
            access.case_access_for(user, jades_case.pk, need_edit=True)


def test_case_access_is_one_query(jades_case, amira, django_assert_num_queries) -> None:
    user = verified(amira)
    access.case_access_for(user, jades_case.pk)  # warm the content-type cache
    with django_assert_num_queries(1):
        assert access.case_access_for(user, jades_case.pk).can_edit


def test_sharing_gives_sight_not_authorship_in_one_lookup(jades_case, tom) -> None:
    assign_perm(access.SHARED_CASE_PERMISSION, tom, jades_case)
    found = access.case_access_for(verified(tom), jades_case.pk)
    assert found.case == jades_case
    assert not found.can_edit


@pytest.mark.parametrize("persona", PERSONAS)
def test_record_access_agrees_with_each_rule(persona, request, jades_case, jade) -> None:
    user = verified(request.getfixturevalue(persona))
    if not access.young_people_visible_to(user).filter(pk=jade.pk).exists():
        return
    young_person = selectors.record_page(user, jade.pk)
    rights = access.record_access(user, young_person)
    case = selectors.open_case(young_person)
    assert rights.case == case
    assert rights.may_edit is (case is not None and access.may_edit_case(user, case))
    assert rights.may_edit_record is access.may_edit_young_person(user, jade)
    assert rights.restricted is access.may_see_restricted_details(user, jade)
    assert rights.may_record_missing is access.may_record_missing(user, jade)
    assert rights.may_review_history is access.may_review_history(user, young_person)
    assert rights.may_merge is access.may_merge_records(user)


def test_record_access_asks_the_database_nothing(jades_case, jade, jo) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = verified(jo)
    young_person = selectors.record_page(user, jade.pk)
    user.areas.all()._fetch_all()
    with CaptureQueriesContext(connection) as queries:
        access.record_access(user, young_person)
    # Only Jo's districts, once (outside a request nothing is cached).
    assert len(queries.captured_queries) <= 1


@pytest.mark.parametrize("persona", ["amira", "jo", "ben", "grace", "rhian"])
def test_restricted_details_for_a_page_agree_with_the_single_rule(
    persona, request, jades_case, jade, kingsmere, afon_valley
) -> None:
    user = verified(request.getfixturevalue(persona))
    elsewhere = YoungPersonFactory(area=afon_valley)
    details = access.restricted_details_scope(user)
    for young_person in (jade, elsewhere):
        assert details.allows(young_person) is access.may_see_restricted_details(user, young_person)


def test_a_closed_case_hides_restricted_details_from_its_former_lead(jades_case, jade, amira):
    Case.objects.filter(pk=jades_case.pk).update(status="closed", closed_on=timezone.localdate())
    user = verified(amira)
    assert not access.may_see_restricted_details(user, jade)
    assert not access.restricted_details_scope(user).allows(jade)


# --- Opening a case: one rule for the page and the service -----------------------------


def test_the_author_opens_a_new_records_first_case(ben, kingsmere) -> None:
    orphan = YoungPersonFactory(area=kingsmere, created_by=ben)
    assert access.may_open_case(verified(ben), orphan)


def test_a_former_author_does_not_open_another_case(jade, jades_case, amira, ben, sign_in):
    # Ben typed the record in; Amira leads it; the case closes. Ben now sees
    # Jade only through emergency access: sight, not authorship.
    jade.created_by = ben
    jade.save()
    Case.objects.filter(pk=jades_case.pk).update(status="closed", closed_on=timezone.localdate())
    BreakGlassGrant.objects.create(
        case=jades_case,
        user=ben,
        reason="Found at 2am",
        expires_at=timezone.now() + timezone.timedelta(hours=4),
    )
    assert not access.may_open_case(verified(ben), jade)
    # The page used to let him through to the service, which refused (403).
    response = sign_in(ben).post(reverse("case-open", args=[jade.pk]))
    assert response.status_code == 404
    assert not jade.cases.filter(status="open").exists()


def test_a_cse_lead_of_the_district_opens_a_case(jade, jades_case, jo) -> None:
    Case.objects.filter(pk=jades_case.pk).update(status="closed", closed_on=timezone.localdate())
    assert access.may_open_case(verified(jo), jade)


# --- Referrals: the full view --------------------------------------------------------


def test_full_view_of_referrals(jade, jades_case, amira, ben, jo, kingsmere) -> None:
    from referrals.models import Referral

    # The rule reads only who it is about, where, and whom it is assigned to.
    referral = Referral(pk=1, area=kingsmere, young_person=jade, referred_by=ben)
    # The screener of the district and the record's lead see it whole; the
    # referrer, who no longer works with Jade, sees what he gave.
    assert access.referral_full_views(verified(jo), [referral]) == {referral.pk}
    assert access.referral_full_views(verified(amira), [referral]) == {referral.pk}
    assert access.referral_full_views(verified(ben), [referral]) == set()
    referral.assigned_to = ben
    assert access.referral_full_views(verified(ben), [referral]) == {referral.pk}


# --- Flags -------------------------------------------------------------------------


def test_team_flags_only_for_supervisors_and_cse_leads(amira, sam, jo) -> None:
    assert not access.team_flags_visible_to(verified(amira)).exists()
    assert str(access.team_flags_visible_to(verified(sam)).query)
    assert str(access.team_flags_visible_to(verified(jo)).query)


def test_possible_duplicates_only_for_cse_leads(jo, amira) -> None:
    assert not access.possible_duplicates_to_check(verified(amira)).exists()
    assert str(access.possible_duplicates_to_check(verified(jo)).query)


def test_a_team_member_edits_through_the_record_page_prefetch(jades_case, grace, jade) -> None:
    user = verified(grace)
    young_person = selectors.record_page(user, jade.pk)
    assert access.record_access(user, young_person).may_edit
    CaseMember.objects.filter(user=grace).update(removed_at=timezone.now())
    with pytest.raises(Http404):
        selectors.record_page(user, jade.pk)


def test_another_districts_case_is_not_the_cse_leads(jo, afon_valley) -> None:
    case = CaseFactory(young_person=YoungPersonFactory(area=afon_valley))
    with pytest.raises(Http404):
        access.case_access_for(verified(jo), case.pk)


@pytest.mark.parametrize("persona", ["amira", "grace", "jo", "sam"])
def test_record_access_without_the_record_pages_prefetch(persona, request, jades_case, jade):
    user = verified(request.getfixturevalue(persona))
    from_page = access.record_access(user, selectors.record_page(user, jade.pk))
    asked = access.record_access(user, access.young_person_for(user, jade.pk))
    assert (asked.case, asked.may_edit, asked.may_edit_record, asked.restricted) == (
        from_page.case,
        from_page.may_edit,
        from_page.may_edit_record,
        from_page.restricted,
    )
