"""The OpenAPI schema tells the truth, so a partner can generate a client from it.

Each test names something wave 1's schema got wrong: blank values the API
returns missing from enums, fields the API nulls out not nullable, two
"decision" enums under one name, undocumented request bodies, `version` not
required, filters and error answers not documented.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

from cse_cases.api.views import SchemaView
from tests.conftest import signed_in_client

UNSAFE = ("post", "put", "patch")


@pytest.fixture(scope="module")
def schema() -> dict:
    """What /api/schema/ serves (built once: generating it takes seconds)."""
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.django_db
def test_the_schema_is_served_to_people_signed_in(amira) -> None:
    response = signed_in_client(amira).get("/api/schema/?format=json")
    assert response.status_code == 200
    assert "Error" in response.json()["components"]["schemas"]


@pytest.mark.django_db
def test_the_schema_is_built_once_per_format_whoever_asks(amira, jo, monkeypatch) -> None:
    built = []
    generate = SchemaGenerator.get_schema
    monkeypatch.setattr(SchemaView, "_served", {})
    monkeypatch.setattr(
        SchemaGenerator, "get_schema", lambda self, **kw: built.append(1) or generate(self, **kw)
    )
    as_amira = signed_in_client(amira).get("/api/schema/?format=json")
    as_jo = signed_in_client(jo).get("/api/schema/?format=json")
    assert as_amira.content == as_jo.content
    assert as_jo["Content-Type"] == as_amira["Content-Type"]
    assert as_jo.json() == json.loads(json.dumps(generate(SchemaGenerator(), public=True)))
    assert len(built) == 1
    yaml = signed_in_client(jo).get("/api/schema/")
    assert yaml["Content-Type"].startswith("application/vnd.oai.openapi;")
    assert len(built) == 2
    # Anything but a format in the query is built as it comes, not kept.
    assert signed_in_client(jo).get("/api/schema/?format=json&lang=en").status_code == 200
    assert len(built) == 3
    assert len(SchemaView._served) == 2


def component(schema: dict, name: str) -> dict:
    return schema["components"]["schemas"][name]


def resolve(schema: dict, ref: dict) -> dict:
    return component(schema, ref["$ref"].rsplit("/", 1)[1])


def enum_values(schema: dict, prop: dict) -> set:
    """Every value an enum property allows, through $ref, allOf and oneOf."""
    values: set = set()
    for part in prop.get("oneOf", []) + prop.get("allOf", []) + [prop]:
        if "$ref" in part:
            part = resolve(schema, part)
        values |= set(part.get("enum", []))
    if prop.get("nullable"):
        values.add(None)
    return values


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def request_schema(schema: dict, path: str, method: str) -> dict:
    body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]
    return resolve(schema, body["schema"])


@pytest.mark.django_db
def test_the_schema_generates_without_warnings(tmp_path) -> None:
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


def test_read_only_choice_and_text_fields_list_the_blanks_the_api_returns(schema) -> None:
    referral = component(schema, "Referral")["properties"]
    for name in ("sharing_basis", "referrer_risk", "decision"):
        assert "" in enum_values(schema, referral[name]), name
    email = referral["referrer_email"]
    assert {"type": "string", "maxLength": 0} in email.get("oneOf", []), email


def test_fields_hidden_from_a_reader_are_nullable_or_optional(schema) -> None:
    referral = component(schema, "Referral")["properties"]
    for name in (
        "young_person",
        "previous_referral",
        "case",
        "risk_level",
        "assigned_team",
        "assigned_to",
    ):
        prop = referral[name]
        assert prop.get("nullable") or None in enum_values(schema, prop), name
    young_person = component(schema, "YoungPerson")
    assert "sexual_orientation" in young_person["properties"]
    assert "sexual_orientation" not in young_person.get("required", [])


def test_the_two_decision_enums_have_their_own_names(schema) -> None:
    assert "DecisionEnum" not in schema["components"]["schemas"]
    assert set(component(schema, "MeetingDecisionEnum")["enum"]) == {"yes", "no"}
    assert "strategy_discussion" in component(schema, "ReferralDecisionEnum")["enum"]
    decision = component(schema, "Referral")["properties"]["decision"]
    assert "strategy_discussion" in enum_values(schema, decision)
    assert "yes" not in enum_values(schema, decision)
    minutes = component(schema, "MinutesInRequest")["properties"]
    assert enum_values(schema, minutes["criminal_investigation"]) == {"yes", "no", ""}


def test_request_bodies_are_the_ones_the_views_read(schema) -> None:
    episode = request_schema(schema, "/api/v1/missing-episodes/", "post")
    assert "young_person" in episode["required"]
    interview = request_schema(schema, "/api/v1/return-interviews/", "post")
    assert {"episode", "interviewer", "offered_at", "outcome"} <= set(interview["required"])
    assert "confirm" in interview["properties"]
    young_person = request_schema(schema, "/api/v1/young-people/", "post")
    assert "confirm_not_duplicate" in young_person["properties"]
    referral = request_schema(schema, "/api/v1/referrals/", "post")
    assert "new_young_person" in referral["properties"]


def test_every_action_that_reads_a_body_documents_it(schema) -> None:
    no_body = {
        ("/api/v1/referrals/{id}/start-screening/", "post"),
        ("/api/v1/assessments/{id}/submit/", "post"),
        ("/api/v1/assessment-templates/{id}/new-version/", "post"),
        ("/api/v1/assessment-templates/{id}/publish/", "post"),
    }
    for path, method, operation in operations(schema):
        if method in UNSAFE and (path, method) not in no_body:
            assert "requestBody" in operation, f"{method.upper()} {path}"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/young-people/{id}/",
        "/api/v1/missing-episodes/{id}/",
        "/api/v1/assessments/{id}/",
        "/api/v1/actions/{id}/",
    ],
)
def test_version_is_required_where_the_view_requires_it(schema, path) -> None:
    body = request_schema(schema, path, "patch")
    assert "version" in body["required"], path


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/referrals/", "queue"),
        ("/api/v1/actions/", "mine"),
        ("/api/v1/flags/", "mine"),
        ("/api/v1/flags/", "open"),
        ("/api/v1/case-notes/", "young_person"),
        ("/api/v1/context-links/", "young_person"),
    ],
)
def test_list_filters_are_documented(schema, path, name) -> None:
    parameters = {p["name"]: p for p in schema["paths"][path]["get"].get("parameters", [])}
    assert name in parameters
    assert parameters[name]["schema"]["type"] in ("boolean", "integer")


def test_search_parameters_are_on_the_list_only(schema) -> None:
    detail = schema["paths"]["/api/v1/young-people/{id}/"]["get"].get("parameters", [])
    assert "q" not in {p["name"] for p in detail}
    listing = schema["paths"]["/api/v1/young-people/"]["get"]["parameters"]
    assert {"q", "date_of_birth", "identifier"} <= {p["name"] for p in listing}


def test_every_operation_documents_its_error_answers_in_the_one_format(schema) -> None:
    error = component(schema, "Error")
    assert set(error["required"]) == {"status", "code", "detail"}
    assert "errors" in error["properties"]
    for path, method, operation in operations(schema):
        expected = {"400", "401", "403", "404", "429"}
        if method in UNSAFE:
            expected |= {"413", "415"}
        responses = operation["responses"]
        assert expected <= set(responses), f"{method.upper()} {path}"
        for code in expected:
            ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/Error"), (path, method, code)


def test_actions_that_can_refuse_a_transition_document_409(schema) -> None:
    for action in ("assign", "decide", "close", "reopen", "transfer", "screening"):
        assert "409" in schema["paths"][f"/api/v1/referrals/{{id}}/{action}/"]["post"]["responses"]
    assert "409" in schema["paths"]["/api/v1/young-people/"]["post"]["responses"]
    assert "409" in schema["paths"]["/api/v1/return-interviews/"]["post"]["responses"]
    assert "409" not in schema["paths"]["/api/v1/case-notes/"]["post"]["responses"]


def test_paging_parameters_say_their_bounds(schema) -> None:
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert parameters["page_size"]["schema"]["maximum"] == 200


@pytest.mark.django_db
def test_the_api_reads_what_the_schema_documents(amira) -> None:
    client = signed_in_client(amira)
    assert client.get("/api/v1/flags/?open=true&mine=false").status_code == 200
    assert client.get("/api/v1/flags/?open=perhaps").status_code == 400
    assert client.get("/api/v1/case-notes/?young_person=abc").status_code == 400
    assert client.get("/api/v1/cases/?page_size=500").status_code == 400
    assert client.get("/api/v1/cases/?page=").status_code == 400
    assert client.get("/api/v1/young-people/?date_of_birth=31/12/2012").json()["errors"] == {
        "date_of_birth": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]
    }
