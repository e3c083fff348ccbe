"""Schemathesis fuzzes every /api/v1 operation of the app in-process (WSGI), as a lokallag
leader with a token holding every write scope, on a small seeded organisation: no answer is a
5xx, and every answer's status code, content type and body are what the OpenAPI document
declares. The seed is fixed and the examples are few, so a run is repeatable and short.

Run it alone with `python -m pytest tests/api/test_fuzz.py -n 0`; a failure prints the
request as a curl command to reproduce it against a running portal.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import hypothesis
import schemathesis
from flask import Flask
from schemathesis import checks
from schemathesis.generation import GenerationMode
from sqlalchemy.orm import Session

from innsiden.auth.tokens import WRITE_SCOPES
from innsiden.groups.anchors import location_group_ids
from innsiden.openapi import API_PREFIX
from membersync.db import utcnow
from tests.api.conftest import bearer, make_token
from tests.factories import make_member, make_small_organisation

# Few examples per operation, a fixed seed and no shrinking: the run is the same every time
# and stays well under two minutes per backend.
MAX_EXAMPLES = 6
SEED = 20

# Operations left out of the fuzzing, each with why. None is: logging out everywhere is refused
# to a token (403, so the token survives the run), downloads are declared as bytes and checked
# as such, and deleting the seeded rows only moves later examples to "not found".
EXCLUDED: dict[str, str] = {}

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


def _seed(app: Flask, db: Session) -> tuple[dict[str, str], dict[str, Any]]:
    """A lokallag with a leader, members, a thread, an event, a poll and a file; the leader's
    token header and the ids of what was made (path parameters are pointed at them)."""
    units = make_small_organisation(db)
    leader = make_member(db, units["0001"], first_name="Kari", roles=["lokallagsleder@0001"])
    for i in range(3):
        make_member(db, units["0001"], first_name=f"M{i}")
    make_member(db, units["0301"], first_name="Oslo")
    db.commit()
    group_id = location_group_ids(db, ["0001"])["0001"]
    db.commit()
    headers = bearer(make_token(db, leader, scopes=tuple(WRITE_SCOPES)))
    client = app.test_client()

    def made(response: Any) -> dict[str, Any]:
        assert response.status_code in (200, 201), response.get_json()
        return response.get_json()

    api = API_PREFIX
    thread = made(client.post(f"{api}/discussions/groups/{group_id}/threads", headers=headers,
                              json={"title": "Sommerfest", "body": "Hvem kommer?"}))  # fmt: skip
    thread_id = thread["thread"]["id"]
    post = made(client.post(f"{api}/discussions/threads/{thread_id}/posts", headers=headers,
                            json={"body": "Jeg!"}))  # fmt: skip
    event = made(client.post(f"{api}/gatherings", headers=headers, json={
        "group_id": group_id, "title": "Sommerfest", "starts_at": "2030-06-20T18:00",
    }))  # fmt: skip
    poll = made(client.post(f"{api}/polls", headers=headers, json={
        "group_id": group_id, "kind": "yes_no", "question": "Grill?",
        "closes_at": (utcnow() + timedelta(days=7)).isoformat(),
    }))  # fmt: skip
    folder = made(client.post(f"{api}/files/folders", headers=headers,
                              json={"group_id": group_id, "name": "Styret"}))  # fmt: skip
    upload = {"group": str(group_id), "file": [(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "a.pdf")]}
    files = made(client.post(f"{api}/files", headers=headers, data=upload,
                             content_type="multipart/form-data"))  # fmt: skip
    ids = {
        "group_id": group_id,
        "thread_id": thread_id,
        "post_id": post["id"],
        "gathering_id": event["id"],
        "poll_id": poll["id"],
        "folder_id": folder["id"],
        "file_id": files["files"][0]["id"],
        "unit_id": "0001",
    }
    return headers, ids


def _fuzz(
    operation: Any, mode: GenerationMode, headers: dict[str, str], ids: dict[str, Any]
) -> str:
    """Fuzz one operation in one mode; what failed, or "" when nothing did."""

    @hypothesis.seed(SEED)
    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        database=None,
        deadline=None,
        report_multiple_bugs=False,
        suppress_health_check=list(hypothesis.HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        # Half the generated ids are swapped for ids of what exists, so the fuzzing reaches
        # past "not found" into the routes' handling of real rows.
        for name, value in list((case.path_parameters or {}).items()):
            if name in ids and isinstance(value, int) and value % 2 == 0:
                case.path_parameters[name] = ids[name]
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # collected, to report every failure at once
        return f"{operation.label} ({mode.value}): {exc}"
    return ""


def test_every_operation_answers_as_documented(app, db):
    headers, ids = _seed(app, db)
    schema = schemathesis.openapi.from_wsgi(f"{API_PREFIX}/openapi.json", app, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = {operation.label for operation in operations}
    assert set(EXCLUDED) <= labels, "an excluded operation no longer exists"
    fuzzed = [operation for operation in operations if operation.label not in EXCLUDED]
    assert len(fuzzed) > 90  # every operation of the API, not a filtered few
    failures = [
        failure
        for operation in fuzzed
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        if (failure := _fuzz(operation, mode, headers, ids))
    ]
    assert not failures, "\n\n".join(failures)
    # The token lived through the run: the answers were a member's, not a row of 401s.
    assert app.test_client().get(f"{API_PREFIX}/me", headers=headers).status_code == 200
