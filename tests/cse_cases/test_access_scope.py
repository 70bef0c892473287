"""The reader's scope (cse_cases/access/scope.py) is resolved once per request
and never outlives it: a change of role, districts or team is seen on the next
request, and one person's scope is never used for another."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cse_cases import access
from cse_cases.access import scope as scope_module
from cse_cases.models import Role, User
from tests.conftest import verified
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


@contextmanager
def handling_a_request():
    """What Django's request_started and request_finished signals do for the
    scope (sending the signals themselves would also close the test's
    database connection, which is why the test client disconnects that one)."""
    scope_module._request_began()
    try:
        yield
    finally:
        scope_module._request_ended()


def fresh(user: User) -> User:
    """The same person loaded again, as the next request loads them."""
    return verified(User.objects.get(pk=user.pk))


def test_outside_a_request_every_question_resolves_a_new_scope(jo) -> None:
    # A Celery task or a test reuses user objects: nothing is kept on them.
    user = verified(jo)
    assert access.scope_for(user) is not access.scope_for(user)
    assert not hasattr(user, scope_module._CACHE_ATTRIBUTE)


def test_inside_a_request_the_scope_is_resolved_once(jo, jades_case) -> None:
    user = verified(jo)
    with handling_a_request():
        first = access.scope_for(user)
        assert access.scope_for(user) is first
        access.may_edit_case(user, jades_case)  # reads Jo's districts once
        with CaptureQueriesContext(connection) as queries:
            for _ in range(5):
                assert access.may_edit_case(user, jades_case)
                assert access.may_see_restricted_details(user, jades_case.young_person)
        # No query for Jo's districts; only the per-child restricted-details check.
        assert not [q for q in queries.captured_queries if "cse_cases_user_areas" in q["sql"]]
    # The request is over: the next question builds a new scope.
    assert access.scope_for(user) is not first


def test_a_scope_is_not_carried_into_the_next_request(jo) -> None:
    user = verified(jo)
    with handling_a_request():
        first = access.scope_for(user)
    with handling_a_request():
        assert access.scope_for(user) is not first


def test_a_cached_scope_is_never_used_for_another_user(jo, rhian, jade) -> None:
    jo_user, rhian_user = verified(jo), verified(rhian)
    with handling_a_request():
        jos = access.scope_for(jo_user)
        # Even if an object carrying Jo's scope were reused for Rhian (a
        # worker process holding objects, say), Rhian's own scope is built.
        setattr(
            rhian_user,
            scope_module._CACHE_ATTRIBUTE,
            getattr(jo_user, scope_module._CACHE_ATTRIBUTE),
        )
        rhians = access.scope_for(rhian_user)
        assert rhians is not jos
        assert rhians.user is rhian_user
        assert not access.young_people_visible_to(rhian_user).filter(pk=jade.pk).exists()
        assert access.young_people_visible_to(jo_user).filter(pk=jade.pk).exists()


def test_a_change_of_role_on_the_same_object_rebuilds_the_scope(ben, jade, kingsmere) -> None:
    user = verified(ben)
    with handling_a_request():
        assert not access.young_people_visible_to(user).filter(pk=jade.pk).exists()
        user.role = Role.CSE_LEAD
        assert access.scope_for(user).role == Role.CSE_LEAD
        assert access.young_people_visible_to(user).filter(pk=jade.pk).exists()


def test_an_anonymous_reader_gets_the_empty_scope() -> None:
    from django.contrib.auth.models import AnonymousUser

    with handling_a_request():
        assert access.scope_for(AnonymousUser()) is scope_module.NOBODY
        assert not access.cases_visible_to(AnonymousUser()).exists()


# --- Through real requests (the test client sends request_started/finished) ---------


def test_new_districts_are_seen_on_the_next_request(rhian, jade, kingsmere, sign_in) -> None:
    client = sign_in(rhian)
    page = reverse("young-person", args=[jade.pk])
    assert client.get(page).status_code == 404
    rhian.areas.add(kingsmere)  # an administrator adds Kingsmere to Rhian's districts
    assert client.get(page).status_code == 200
    rhian.areas.remove(kingsmere)
    assert client.get(page).status_code == 404


def test_a_new_role_is_seen_on_the_next_request(ben, jade, sign_in) -> None:
    client = sign_in(ben)
    page = reverse("young-person", args=[jade.pk])
    assert client.get(page).status_code == 404
    User.objects.filter(pk=ben.pk).update(role=Role.CSE_LEAD)
    assert client.get(page).status_code == 200
    User.objects.filter(pk=ben.pk).update(role=Role.PRACTITIONER)
    assert client.get(page).status_code == 404


def test_a_new_team_is_seen_on_the_next_request(
    jades_case, amira, ben, kingsmere_social_care, sign_in
) -> None:
    # Ben becomes the supervisor of Amira's new team: he sees the case she leads.
    client = sign_in(ben)
    page = reverse("young-person", args=[jades_case.young_person_id])
    User.objects.filter(pk=ben.pk).update(role=Role.SUPERVISOR)
    assert client.get(page).status_code == 404
    team = TeamFactory(name="Night Team", agency=kingsmere_social_care, supervisor=ben)
    User.objects.filter(pk=amira.pk).update(team=team)
    assert client.get(page).status_code == 200


def test_two_readers_in_turn_each_get_their_own_answer(jo, rhian, jade, sign_in) -> None:
    page = reverse("young-person", args=[jade.pk])
    jos, rhians = sign_in(jo), sign_in(rhian)
    for _ in range(2):
        assert jos.get(page).status_code == 200
        assert rhians.get(page).status_code == 404


def test_the_scope_is_gone_when_the_request_ends(jo, jade, sign_in) -> None:
    client = sign_in(jo)
    assert client.get(reverse("young-person", args=[jade.pk])).status_code == 200
    assert scope_module._request_token.get() is None
    user = fresh(jo)
    assert access.scope_for(user) is not access.scope_for(user)
