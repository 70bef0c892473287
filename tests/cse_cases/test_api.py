"""The API shell: authentication, one error format, pagination, scoping, schema."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from cse_cases.api.base import ScopedReadOnlyViewSet
from tests.factories import AreaFactory, api_token_key

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return client


def test_anonymous_gets_401_in_the_error_format(client) -> None:
    response = client.get("/api/v1/areas/")
    assert response.status_code == 401
    body = response.json()
    assert body["status"] == 401
    assert body["code"] == "not_authenticated"
    assert "Token" in body["detail"]
    assert response["WWW-Authenticate"] == "Token"


def test_token_from_the_management_command_authenticates(amira, capsys) -> None:
    call_command("drf_create_token", "amira")
    key = capsys.readouterr().out.split()[2]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    me = client.get("/api/v1/me/").json()
    assert me["username"] == "amira"
    assert me["role"] == "practitioner"
    assert me["agency"]["name"] == "Kingsmere Children's Services"


def test_bad_token_is_refused(db) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_demo_account_token_needs_debug(amira, settings) -> None:
    amira.is_demo = True
    amira.save()
    settings.DEBUG = True
    client = token_client(amira)
    assert client.get("/api/v1/me/").status_code == 200
    settings.DEBUG = False
    assert client.get("/api/v1/me/").status_code == 401


def test_verified_session_works_for_the_api(amira, sign_in) -> None:
    assert sign_in(amira).get("/api/v1/me/").json()["username"] == "amira"


def test_session_without_two_factor_is_not_enough(amira) -> None:
    client = APIClient()
    client.force_login(amira, backend="cse_cases.auth_backends.HarbourModelBackend")
    assert client.get("/api/v1/me/").status_code == 401


def test_lists_are_paginated(amira) -> None:
    for n in range(60):
        AreaFactory(name=f"District {n:02d}", code=f"E07{n:06d}")
    client = token_client(amira)
    first = client.get("/api/v1/areas/").json()
    assert first["count"] == 61  # 60 and Kingsmere
    assert len(first["results"]) == 50
    assert first["next"]
    small = client.get("/api/v1/areas/?page_size=10&page=2").json()
    assert len(small["results"]) == 10


def test_missing_record_is_404_in_the_error_format(amira) -> None:
    response = token_client(amira).get("/api/v1/areas/999999/")
    assert response.status_code == 404
    assert response.json() == {"status": 404, "code": "not_found", "detail": "Not found."}


def test_teams_are_scoped_to_the_users_agency(amira, tom, kingsmere_team) -> None:
    assert token_client(amira).get(f"/api/v1/teams/{kingsmere_team.pk}/").status_code == 200
    # Tom, a police officer in another district, is an outsider: 404, not 403.
    response = token_client(tom).get(f"/api/v1/teams/{kingsmere_team.pk}/")
    assert response.status_code == 404
    assert token_client(tom).get("/api/v1/teams/").json()["count"] == 0


def test_writes_are_not_allowed_on_reference_data(amira) -> None:
    response = token_client(amira).post("/api/v1/areas/", {"name": "X"}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_a_viewset_cannot_bypass_the_access_policy() -> None:
    with pytest.raises(TypeError, match="must not define get_queryset"):

        class Leaky(ScopedReadOnlyViewSet):
            def get_queryset(self):
                return None

    with pytest.raises(TypeError, match="must not define queryset"):

        class AlsoLeaky(ScopedReadOnlyViewSet):
            queryset = None


def test_schema_is_openapi_3_with_plural_kebab_case_paths(amira) -> None:
    response = token_client(amira).get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in schema["paths"]:
        assert path.startswith("/api/v1/")
        # Resource segments are lower-case words joined by hyphens; {id}-style
        # parameters aside.
        for segment in path.strip("/").split("/")[2:]:
            if not segment.startswith("{"):
                assert re.fullmatch(r"[a-z]+(-[a-z]+)*", segment), path


def test_docs_page_renders_for_signed_in_users(amira, sign_in) -> None:
    response = sign_in(amira).get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
