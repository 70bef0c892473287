"""An anonymous visitor reaches nothing but sign-in.

The test walks every URL pattern the project has, so a page added by a later
issue is covered without anyone remembering to add it here.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Pages a visitor must be able to reach to sign in at all, and the health probe
# (which reports only "ok"/"unavailable" for the database and Redis).
OPEN = {
    "/sign-in/",
    "/sign-in/code/",
    "/sign-in/set-up-two-factor/",
    "/signed-out/",
    "/sign-out/",
    "/healthz",
    # A password reset link reaches its holder by email, before they can sign in.
    "/account/reset/x/x/",
    "/account/reset/done/",
}
# The catch-all that answers unknown /api/ paths with a JSON 404.
API_FALLBACK = "/api/x"


def concrete_paths(patterns=None, prefix: str = "") -> list[str]:
    """Every route, with any parameter filled by a plausible value."""
    paths = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            paths += concrete_paths(entry.url_patterns, prefix + route.lstrip("^"))
        elif isinstance(entry, URLPattern):
            path = prefix + route
            path = re.sub(r"\^|\$|\\Z", "", path).replace("\\.", ".")
            path = re.sub(r"<(?:int:)?[^>]*pk>|<int:[^>]+>", "1", path)
            path = re.sub(r"<disruption_target:[^>]+>", "person", path)
            path = re.sub(r"<[^>]+>|\(\?P<[^>]+>[^)]*\)", "x", path)
            if re.search(r"[\\(\[*+?]", path):
                continue  # a regex route we cannot fill in sensibly
            paths.append("/" + path)
    return sorted(set(paths))


ALL_PATHS = concrete_paths()


def test_the_walk_finds_the_main_pages() -> None:
    for expected in ["/", "/account/password/", "/admin/", "/api/v1/areas/", "/api/schema/"]:
        assert expected in ALL_PATHS


@pytest.mark.parametrize("path", [p for p in ALL_PATHS if p not in OPEN | {API_FALLBACK}])
def test_anonymous_visitor_is_sent_to_sign_in(client, path: str) -> None:
    for method in ("get", "post"):
        response = getattr(client, method)(path, follow=True)
        if path.startswith(("/api/v1/", "/api/schema/")):
            assert response.status_code == 401, (method, path)
            # The schema answers in its own media type (YAML); the body is the same.
            assert b"not_authenticated" in response.content
        else:
            # Every page ends on the sign-in form (admin hands over to it too).
            assert response.redirect_chain, (method, path)
            assert response.request["PATH_INFO"] == "/sign-in/", (method, path)
            assert response.status_code == 200


def test_sign_in_page_is_open(client) -> None:
    assert client.get("/sign-in/").status_code == 200


def test_health_probe_reveals_nothing_but_status(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok"}


def test_unknown_api_path_is_a_json_404_for_anyone(client, amira, sign_in) -> None:
    for visitor in (client, sign_in(amira)):
        response = visitor.get("/api/v2/young-people/")
        assert response.status_code == 404
        assert response.json() == {"status": 404, "code": "not_found", "detail": "Not found."}
