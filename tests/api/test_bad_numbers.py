"""Numbers no id column can hold, found by the fuzz test: they are bad input or name nothing,
so the answer is a 400 or 404 problem, never a 500 (SQLite's OverflowError, PostgreSQL's
"integer out of range"). And a write that conflicts answers the 409 its operation declares."""

from __future__ import annotations

import pytest

from innsiden.openapi import API_PREFIX
from tests.api.conftest import bearer, make_token
from tests.polls.conftest import bergen

__all__ = ["bergen"]

BEYOND_64_BITS = 2**63 + 1
BEYOND_32_BITS = 3_000_000_000


def _problem(response, *statuses: int) -> None:
    assert response.status_code in statuses, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("number", [BEYOND_64_BITS, BEYOND_32_BITS])
def test_an_id_too_large_for_a_column_in_a_path_or_query_is_a_problem(client, db, kari, number):
    headers = bearer(make_token(db, kari))
    # A path number beyond 64 bits matches no route; one beyond 32 bits names no row.
    _problem(client.get(f"{API_PREFIX}/discussions/threads/{number}", headers=headers), 400, 404)
    _problem(client.get(f"{API_PREFIX}/gatherings?group={number}", headers=headers), 400, 404)
    _problem(client.get(f"{API_PREFIX}/polls?group={number}", headers=headers), 400, 404)
    _problem(client.get(f"{API_PREFIX}/meetings/{number}/elections/1", headers=headers), 400, 404)


def test_a_digit_that_int_refuses_is_no_number(client, db, kari):
    headers = bearer(make_token(db, kari))
    # "²" is a digit to str.isdigit but int() refuses it.
    _problem(client.get(f"{API_PREFIX}/gatherings?group=²", headers=headers), 404)
    _problem(client.get(f"{API_PREFIX}/polls?group=²", headers=headers), 404)


@pytest.mark.parametrize("number", [BEYOND_64_BITS, BEYOND_32_BITS])
def test_a_group_id_too_large_in_a_body_is_a_problem(client, db, bergen, number):
    headers = bearer(make_token(db, bergen.leader, scopes=("gatherings:write", "polls:write")))
    event = {"group_id": number, "title": "Sommerfest", "starts_at": "2030-06-20T18:00"}
    _problem(client.post(f"{API_PREFIX}/gatherings", headers=headers, json=event), 400, 404)
    poll = {"group_id": number, "kind": "yes_no", "question": "Grill?"}
    _problem(client.post(f"{API_PREFIX}/polls", headers=headers, json=poll), 400, 404)


def test_cancelling_a_cancelled_event_is_the_409_writes_declare(client, db, bergen):
    headers = bearer(make_token(db, bergen.leader, scopes=("gatherings:write",)))
    event = client.post(f"{API_PREFIX}/gatherings", headers=headers, json={
        "group_id": bergen.group_id, "title": "Sommerfest", "starts_at": "2030-06-20T18:00",
    }).get_json()  # fmt: skip
    cancel = f"{API_PREFIX}/gatherings/{event['id']}/cancel"
    assert client.post(cancel, headers=headers, json={"reason": "Regn"}).status_code == 200
    _problem(client.post(cancel, headers=headers, json={"reason": "Regn"}), 409)

    document = client.get(f"{API_PREFIX}/openapi.json", headers=headers).get_json()
    for item in document["paths"].values():
        for method, operation in item.items():
            assert ("409" in operation["responses"]) == (method != "get"), operation["operationId"]
