"""No input gets a 500, and every answer under /api/ is JSON in the one error format.

Each of these was a server error or an HTML page on wave 1's main: ids that are
not numbers, NUL characters, bodies nested 50,000 deep or 3 MB long, POSTs to
unknown API paths (the CSRF page), and int() on page input.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client, RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import get_resolver
from django.utils import timezone

from assessments.meetings import services as meeting_services
from assessments.risk import services as assessment_services
from cse_cases.api.base import ScopedViewSetMixin
from cse_cases.api.parsers import HarbourJSONParser
from cse_cases.views import errors
from cse_cases.wiring import api_urls
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

METHODS = ["get", "post", "put", "patch", "delete", "options", "head"]
REFERRAL_ACTIONS = [
    "assign",
    "start-screening",
    "screening",
    "identify",
    "transfer",
    "decide",
    "close",
    "reopen",
]


def api_session(user) -> Client:
    """A signed-in browser that sends no CSRF token, as a script might."""
    client = signed_in_client(user)
    client.handler.enforce_csrf_checks = True
    return client


def assert_error_format(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    if getattr(response, "request", {}).get("REQUEST_METHOD") == "HEAD":
        return {}
    body = json.loads(response.content)
    assert body["status"] == status
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert set(body) <= {"status", "code", "detail", "errors"}
    if code is not None:
        assert body["code"] == code
    return body


# --- Item 8: ids, query parameters, bodies ---------------------------------------------


@pytest.mark.parametrize("action", REFERRAL_ACTIONS)
def test_referral_action_on_an_id_that_is_not_a_number_is_a_json_404(jo, action) -> None:
    client = signed_in_client(jo)
    for pk in ("abc", "²", "1.5", "-1"):
        response = client.post(
            f"/api/v1/referrals/{pk}/{action}/", {}, content_type="application/json"
        )
        assert_error_format(response, 404, "not_found")


@pytest.mark.parametrize("prefix", [p.pattern.regex.pattern for p in api_urls.router.urls])
def test_no_api_route_accepts_an_id_that_is_not_digits(prefix) -> None:
    if "(?P<pk>" in prefix:
        assert "(?P<pk>[0-9]+)" in prefix, prefix


def test_every_viewset_looks_up_by_digits_and_parses_json_with_limits() -> None:
    for _, viewset, _ in api_urls.router.registry:
        assert issubclass(viewset, ScopedViewSetMixin), viewset
        assert viewset.lookup_value_regex == "[0-9]+"
        parsers = viewset().get_parsers()
        json_parsers = [p for p in parsers if p.media_type == "application/json"]
        assert json_parsers
        assert all(isinstance(p, HarbourJSONParser) for p in json_parsers)
        # Form bodies too: every parser is one of Harbour's.
        assert all(type(p).__module__ == "cse_cases.api.parsers" for p in parsers), viewset


def test_a_viewset_may_not_loosen_the_id_pattern() -> None:
    with pytest.raises(TypeError, match="lookup_value_regex"):

        class Loose(ScopedViewSetMixin):
            lookup_value_regex = "[^/]+"


def test_huge_id_is_a_json_404(jo) -> None:
    response = signed_in_client(jo).get("/api/v1/young-people/" + "9" * 40 + "/")
    assert_error_format(response, 404, "not_found")


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1E999"])
def test_a_number_too_large_for_a_float_is_a_json_400(jo, jade, number) -> None:
    """Found in review: 1e400 parsed to infinity and overflowed where an id was made."""
    from cse_cases import services
    from tests.conftest import verified

    person = services.person_of_concern_create(by=verified(jo), name="Ricky Vale", area=jade.area)
    client = signed_in_client(jo)
    share = f"/api/v1/persons-of-concern/{person.pk}/share/"
    for path, template in (
        (share, '{"area": NUMBER}'),
        ("/api/v1/persons-of-concern/", '{"name": "x", "area": NUMBER}'),
        ("/api/v1/case-notes/", '{"case": NUMBER, "text": "x"}'),
    ):
        body = template.replace("NUMBER", number)
        response = client.post(path, body, content_type="application/json")
        assert_error_format(response, 400, "parse_error")


@pytest.mark.parametrize("param", ["q", "identifier", "date_of_birth"])
def test_nul_in_a_search_is_a_json_400(jo, param) -> None:
    response = signed_in_client(jo).get(f"/api/v1/young-people/?{param}=%00")
    assert_error_format(response, 400, "invalid_character")


def test_nul_in_a_parameter_name_or_path_is_a_json_400(jo) -> None:
    client = signed_in_client(jo)
    assert_error_format(client.get("/api/v1/cases/?a%00b=1"), 400, "invalid_character")
    assert_error_format(client.get("/api/v1/young-people%00/"), 400, "invalid_character")


def test_nul_in_a_page_search_is_the_400_page(jo) -> None:
    response = signed_in_client(jo).get("/young-people/?q=%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_nul_in_a_form_is_the_400_page(jo) -> None:
    response = signed_in_client(jo).post("/persons-of-concern/new/", {"name": "Ricky\x00"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_json_nested_50000_deep_is_a_400(jo) -> None:
    body = "[" * 50_000 + "]" * 50_000
    for path in ("/api/v1/case-notes/", "/api/v1/referrals/"):
        response = signed_in_client(jo).post(path, body, content_type="application/json")
        assert_error_format(response, 400, "too_deep")
    nested = '{"text": ' + '{"a": ' * 30 + "1" + "}" * 30 + "}"
    response = signed_in_client(jo).post(
        "/api/v1/case-notes/", nested, content_type="application/json"
    )
    assert_error_format(response, 400, "too_deep")


def test_a_3mb_json_body_is_a_413(jo) -> None:
    body = json.dumps({"text": "x" * 3_000_000})
    for path in ("/api/v1/case-notes/", "/api/v1/referrals/"):
        response = signed_in_client(jo).post(path, body, content_type="application/json")
        assert_error_format(response, 413, "too_large")


def test_a_3mb_form_body_under_api_is_a_json_413(jo) -> None:
    response = signed_in_client(jo).post(
        "/api/v1/referrals/",
        "concerns=" + "x" * 3_000_000,
        content_type="application/x-www-form-urlencoded",
    )
    assert_error_format(response, 413, "too_large")


def test_too_many_query_parameters_is_a_json_400(jo) -> None:
    query = "&".join(f"f{n}=1" for n in range(1200))
    response = signed_in_client(jo).get(f"/api/v1/cases/?{query}")
    assert_error_format(response, 400, "too_many_fields")


@pytest.mark.parametrize("text", ['"Met Jade\\u0000"', '"\\ud800"'], ids=["nul", "lone-surrogate"])
def test_text_postgresql_cannot_store_is_a_400(jo, jades_case, text) -> None:
    body = f'{{"case": {jades_case.pk}, "note_type": "contact_young_person", "text": {text}}}'
    response = signed_in_client(jo).post(
        "/api/v1/case-notes/", body, content_type="application/json"
    )
    assert_error_format(response, 400, "invalid_character")


def test_nul_in_a_multipart_patch_is_a_400(amira, jades_case) -> None:
    jade = jades_case.young_person
    body = encode_multipart(BOUNDARY, {"version": "1", "known_as": "Jay\x00"})
    response = signed_in_client(amira).patch(
        f"/api/v1/young-people/{jade.pk}/", body, content_type=MULTIPART_CONTENT
    )
    assert_error_format(response, 400, "invalid_character")


@pytest.mark.parametrize("body", ["[]", '"text"', "1", "null"])
def test_a_body_that_is_not_an_object_is_a_400(amira, jades_case, body) -> None:
    jade = jades_case.young_person
    client = signed_in_client(amira)
    for method, path in [
        ("post", "/api/v1/missing-episodes/"),
        ("patch", f"/api/v1/young-people/{jade.pk}/"),
        ("post", "/api/v1/referrals/"),
    ]:
        response = getattr(client, method)(path, body, content_type="application/json")
        assert_error_format(response, 400, "invalid")


def test_a_version_in_other_digits_is_a_400_not_a_500(amira, jades_case) -> None:
    jade = jades_case.young_person
    client = signed_in_client(amira)
    response = client.patch(
        f"/api/v1/young-people/{jade.pk}/", {"version": "²"}, content_type="application/json"
    )
    assert response.status_code in (400, 409)
    assert response["Content-Type"].startswith("application/json")


def test_filters_in_other_digits_are_a_400_not_a_500(amira) -> None:
    client = signed_in_client(amira)
    for path in ("/api/v1/case-notes/", "/api/v1/context-links/"):
        body = assert_error_format(client.get(f"{path}?young_person=²"), 400, "invalid")
        assert "young_person" in body["errors"]


# --- Item 8: page views that read numbers from input -----------------------------------


def test_meeting_pages_answer_404_for_ids_that_are_not_numbers(jo, jade) -> None:
    client = signed_in_client(jo)
    for query in ("young_person=abc", "young_person=²", "request=abc"):
        assert client.get(f"/meetings/new/?{query}").status_code == 404
    jo.is_verified = lambda: True
    meeting = meeting_services.meeting_schedule(
        by=jo,
        kind="strategy_discussion",
        area=jade.area,
        starts_at=timezone.now() + timezone.timedelta(days=1),
        online=True,
        young_people=[jade],
    )
    assert (
        client.post(f"/meetings/{meeting.pk}/young-people/", {"young_person": "abc"}).status_code
        == 404
    )
    for field in ("location", "person"):
        response = client.post(f"/meetings/{meeting.pk}/contexts/", {field: "x1"})
        assert response.status_code == 404
    response = client.post(f"/meetings/{meeting.pk}/attendance/", {"attendance-²": "present"})
    assert response.status_code < 500


def test_assessment_autosave_with_a_version_that_is_not_a_number_is_not_a_500(
    template, amira, jades_case
) -> None:
    amira.is_verified = lambda: True
    assessment = assessment_services.assessment_start(by=amira, case=jades_case)
    client = signed_in_client(amira)
    for path in (
        f"/assessments/{assessment.pk}/autosave/",
        f"/assessments/{assessment.pk}/my-section/autosave/",
    ):
        response = client.post(path, {"version": "abc", "contribution": "Seen at school"})
        assert response.status_code < 500, path


def test_merge_with_a_record_number_in_other_digits_is_a_message(jo, jade) -> None:
    response = signed_in_client(jo).post(
        f"/young-people/{jade.pk}/merge/", {"keep": "²", "reason": "Same girl"}
    )
    assert response.status_code == 200
    assert "Enter the number of a record you can see" in response.content.decode()


def test_referral_queue_page_number_in_other_digits_is_the_first_page(jo) -> None:
    assert signed_in_client(jo).get("/referrals/?page=²").status_code == 200


# --- Item 9: every answer under /api/ is JSON ------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_unknown_api_path_is_a_json_404_for_every_method(jo, method) -> None:
    for client in (Client(enforce_csrf_checks=True), api_session(jo)):
        for path in ("/api/nothing/", "/api/v1/nothing/", "/api/v1/referrals/abc/assign/"):
            response = getattr(client, method)(path)
            assert_error_format(response, 404, "not_found")


@pytest.mark.parametrize("method", ["put", "delete"])
def test_method_not_allowed_is_json(jo, method) -> None:
    response = getattr(signed_in_client(jo), method)("/api/v1/young-people/")
    assert_error_format(response, 405, "method_not_allowed")


def test_known_paths_with_bad_bodies_answer_json(jo) -> None:
    client = signed_in_client(jo)
    response = client.post("/api/v1/case-notes/", "{", content_type="application/json")
    assert_error_format(response, 400, "parse_error")
    response = client.post("/api/v1/case-notes/", "text", content_type="text/plain")
    assert_error_format(response, 415, "unsupported_media_type")
    response = client.post("/api/v1/case-notes/", b"\xff\xfe", content_type="application/json")
    assert_error_format(response, 400, "parse_error")
    response = client.patch("/api/v1/young-people/1/", "{", content_type="application/json")
    assert response["Content-Type"].startswith("application/json")


def test_session_post_without_csrf_token_is_a_json_403(jo) -> None:
    response = api_session(jo).post("/api/v1/case-notes/", {}, content_type="application/json")
    assert_error_format(response, 403)


@pytest.mark.parametrize(
    ("handler", "status"),
    [
        (errors.bad_request, 400),
        (errors.permission_denied, 403),
        (errors.page_not_found, 404),
        (errors.csrf_failure, 403),
    ],
)
def test_djangos_error_handlers_answer_json_under_api(handler, status) -> None:
    request = RequestFactory().post("/api/v1/cases/")
    assert_error_format(handler(request, None), status)
    page = handler(RequestFactory().post("/cases/"), None)
    assert page["Content-Type"].startswith("text/html")


def test_server_error_under_api_is_json() -> None:
    request = RequestFactory().get("/api/v1/cases/")
    assert_error_format(errors.server_error(request), 500, "server_error")


def test_the_urlconf_names_the_json_aware_handlers() -> None:
    resolver = get_resolver()
    for code in (400, 403, 404, 500):
        assert resolver.resolve_error_handler(code).__module__ == "cse_cases.views.errors"
