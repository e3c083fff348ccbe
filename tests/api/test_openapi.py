"""The OpenAPI document describes every /api/v1 route and nothing else, and is valid 3.1;
the reference page is rendered from it by the portal itself."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from innsiden.openapi import API_PREFIX, SKIPPED_METHODS, openapi_path
from tests.api.conftest import bearer, make_token
from tests.conftest import login_as


def test_the_document_is_valid_and_covers_exactly_the_api_rules(app, client, db, kari):
    secret = make_token(db, kari)
    response = client.get("/api/v1/openapi.json", headers=bearer(secret))
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    assert document["openapi"].startswith("3.1")

    routed = {
        (openapi_path(rule.rule.removeprefix(API_PREFIX)), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API_PREFIX + "/")
        for method in set(rule.methods) - SKIPPED_METHODS
    }
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert routed == documented
    assert len(documented) > 80
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_described_routes_carry_their_schemas_and_the_paged_shape(client, kari):
    login_as(client, kari)
    document = client.get("/api/v1/openapi.json").get_json()
    listing = document["paths"]["/notifications"]["get"]
    assert {"$ref": "#/components/parameters/Cursor"} in listing["parameters"]
    answer = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert "next" in answer["allOf"][1]["required"]
    me = document["paths"]["/me"]["get"]["responses"]["200"]["content"]["application/json"]
    assert me["schema"] == {"$ref": "#/components/schemas/Me"}
    assert "Problem" in document["components"]["schemas"]


def test_the_reference_page_lists_operations_and_problem_types(client, kari):
    login_as(client, kari)
    page = client.get("/utviklere/api")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "GET /api/v1/discussions/threads/{thread_id}" in text
    assert 'id="problem-not_found"' in text and 'id="problem-insufficient_scope"' in text
    scripts = re.findall(r"<script[^>]*>", text)
    assert all('src="/static/' in tag for tag in scripts)  # no inline script, no other host
    assert "https://" not in text and "http://" not in text


def test_answers_match_the_schemas_they_are_documented_with(client, db, kari):
    from jsonschema import Draft202012Validator

    from innsiden.notifications.models import Notification

    db.add(Notification(recipient_number=kari.number, kind="test", title="Hei", url="/"))
    db.commit()
    secret = make_token(db, kari)
    document = client.get("/api/v1/openapi.json", headers=bearer(secret)).get_json()
    checked = 0
    for path, item in document["paths"].items():
        operation = item.get("get")
        if "{" in path or operation is None:
            continue
        content = operation["responses"]["200"].get("content", {}).get("application/json")
        if content is None:
            continue  # a download
        if any(
            p.get("required") and p.get("in") == "query" for p in operation.get("parameters", [])
        ):
            continue  # needs a group or a query: tests/api/test_response_schemas.py calls it
        answer = client.get(API_PREFIX + path, headers=bearer(secret))
        assert answer.status_code == 200, path
        schema = {"components": document["components"], **content["schema"]}
        Draft202012Validator(schema).validate(answer.get_json())
        checked += 1
    assert checked >= 4
