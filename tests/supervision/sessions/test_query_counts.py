"""The list and detail pages (and the API list) run a fixed number of queries
whatever the number of sessions, discussions and actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from supervision.sessions import services
from tests.conftest import ORDINARY_TUESDAY
from tests.factories import CaseFactory, UserFactory, YoungPersonFactory
from tests.supervision.sessions.conftest import record

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(ORDINARY_TUESDAY)]


def grow(sam, amira, kingsmere, kingsmere_team, n: int):
    """n more sessions with Amira, each discussing n cases with an action each,
    and n more workers in Sam's team."""
    for _ in range(n):
        UserFactory(team=kingsmere_team, agency=amira.agency, areas=[kingsmere])
    cases = [
        CaseFactory(
            young_person=YoungPersonFactory(area=kingsmere, created_by=amira),
            lead_professional=amira,
        )
        for _ in range(n)
    ]
    last = None
    for day in range(n):
        last = record(
            by=sam,
            worker=amira,
            held_on=timezone.localdate() - timedelta(days=day),
            discussions=[
                services.Discussion(
                    case=case,
                    decision="Decided",
                    actions=[
                        services.ActionAgreed(
                            description="Do it",
                            owner=amira,
                            due_on=timezone.localdate() + timedelta(days=3),
                        )
                    ],
                )
                for case in cases
            ],
        )
    return last


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/supervision/", "/api/v1/supervision-sessions/", "detail"])
def test_constant_queries(url, sign_in, sam, amira, kingsmere, kingsmere_team):
    client = sign_in(sam)
    small = grow(sam, amira, kingsmere, kingsmere_team, 1)
    first = count(client, f"/supervision/{small.pk}/" if url == "detail" else url)
    large = grow(sam, amira, kingsmere, kingsmere_team, 6)
    second = count(client, f"/supervision/{large.pk}/" if url == "detail" else url)
    assert first == second, (first, second)
