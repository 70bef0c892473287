"""Supervision's URLs that the main matrix cannot express (a query string), and
the outsiders: a practitioner in another team, a supervisor of another team,
commissioners and administrators all get 404."""

from __future__ import annotations

import pytest
from django.db import transaction

from cse_cases.models import Role
from tests.conftest import fresh_cache_keys
from tests.cse_cases.permission_rows_sessions import ok_for, story_session
from tests.cse_cases.permission_story import PERSONAS, story  # noqa: F401 (a fixture)
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_only_the_workers_supervisor_starts_a_session(request, story, sign_in) -> None:  # noqa: F811
    amira = request.getfixturevalue("amira")
    url = f"/supervision/new/?worker={amira.pk}"
    expected = ok_for({"sam"})
    wrong = {}
    for persona in PERSONAS:
        fresh_cache_keys()
        with transaction.atomic():
            response = sign_in(request.getfixturevalue(persona)).get(url)
            transaction.set_rollback(True)
        if response.status_code != expected[persona]:
            wrong[persona] = response.status_code
    assert not wrong


def test_a_supervisor_of_another_team_and_its_workers_get_404(
    request,
    story,  # noqa: F811
    sign_in,
    kingsmere_social_care,
    kingsmere,
) -> None:
    session = story_session(story)
    other_supervisor = UserFactory(
        role=Role.SUPERVISOR, agency=kingsmere_social_care, areas=[kingsmere]
    )
    other_team = TeamFactory(agency=kingsmere_social_care, supervisor=other_supervisor)
    colleague = UserFactory(agency=kingsmere_social_care, team=other_team, areas=[kingsmere])
    amira = request.getfixturevalue("amira")
    for outsider in (other_supervisor, colleague):
        client = sign_in(outsider)
        for url in (
            f"/supervision/{session.pk}/",
            f"/supervision/{session.pk}/edit/",
            f"/supervision/{session.pk}/reflection/",
            f"/supervision/new/?worker={amira.pk}",
            f"/api/v1/supervision-sessions/{session.pk}/",
        ):
            assert client.get(url).status_code == 404, (outsider, url)
        assert client.get("/api/v1/supervision-sessions/").json()["results"] == []
