"""Real answers of a lokallag's group, poll and event validate against the OpenAPI document:
what the document promises an integrator is what the routes send."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from innsiden.openapi import API_PREFIX
from tests.api.conftest import bearer, make_token
from tests.polls.conftest import bergen, poll_body

__all__ = ["bergen"]


def _check(document: dict[str, Any], method: str, path: str, status: int, body: Any) -> None:
    answer = document["paths"][path][method]["responses"][str(status)]
    schema = {
        "components": document["components"],
        **answer["content"]["application/json"]["schema"],
    }
    Draft202012Validator(schema).validate(body)


def test_group_poll_and_event_answers_match_the_document(client, db, bergen):
    secret = make_token(db, bergen.leader, scopes=("polls:write", "gatherings:write"))
    headers = bearer(secret)
    document = client.get(f"{API_PREFIX}/openapi.json", headers=headers).get_json()

    def call(method: str, path: str, template: str, status: int = 200, **kwargs: Any) -> Any:
        response = client.open(API_PREFIX + path, method=method, headers=headers, **kwargs)
        assert response.status_code == status, (path, response.get_json())
        _check(document, method.lower(), template, status, response.get_json())
        return response.get_json()

    group = bergen.group_id
    call("GET", "/groups", "/groups")
    call("GET", f"/groups/{group}", "/groups/{group_id}")
    call("GET", f"/groups/{group}/members", "/groups/{group_id}/members")
    poll = call("POST", "/polls", "/polls", 201, json=poll_body(group, kind="single",
                options=["Bål", "Grill"], secret=False))  # fmt: skip
    call("GET", f"/polls?group={group}", "/polls")
    call("GET", f"/polls/{poll['id']}", "/polls/{poll_id}")
    event = call("POST", "/gatherings", "/gatherings", 201, json={
        "group_id": group, "title": "Sommerfest", "starts_at": "2030-06-20T18:00",
        "questions": [{"label": "Allergier?"}],
    })  # fmt: skip
    call("GET", f"/gatherings?group={group}", "/gatherings")
    call("POST", f"/gatherings/{event['id']}/reply", "/gatherings/{gathering_id}/reply",
         json={"answer": "yes"})  # fmt: skip
    call("GET", f"/gatherings/{event['id']}", "/gatherings/{gathering_id}")
    call("GET", "/home/stream", "/home/stream")
