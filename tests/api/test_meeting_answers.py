"""Real answers of the meetings API validate against the shapes its routes declare."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from innsiden.openapi import API_PREFIX
from tests.meetings.conftest import bergen, frozen_meeting

__all__ = ["bergen"]


def test_meeting_answers_match_the_document(bergen):
    meeting_id, code = frozen_meeting(bergen)
    api = bergen.client(bergen.paid[0])
    document = api.get(f"{API_PREFIX}/openapi.json").get_json()

    def call(method: str, tail: str, template: str, **kwargs: Any) -> Any:
        response = api.open(f"{API_PREFIX}/meetings{tail}", method=method, **kwargs)
        operation = document["paths"][f"/meetings{template}"][method.lower()]
        status = next(s for s in operation["responses"] if s.startswith("2"))
        assert response.status_code == int(status), (tail, response.get_json())
        declared = operation["responses"][status]["content"]["application/json"]["schema"]
        Draft202012Validator({"components": document["components"], **declared}).validate(
            response.get_json()
        )
        return response.get_json()

    m = f"/{meeting_id}"
    call("POST", f"{m}/check-in", "/{meeting_id}/check-in", json={"code": code})
    call("GET", m, "/{meeting_id}")
    call("GET", f"{m}/votes", "/{meeting_id}/votes")
    call("GET", f"{m}/proxies", "/{meeting_id}/proxies")
    call("GET", f"{m}/motions", "/{meeting_id}/motions")
    call("GET", f"{m}/elections", "/{meeting_id}/elections")
    call("GET", f"{m}/delegates", "/{meeting_id}/delegates")
    call("POST", f"{m}/check-out", "/{meeting_id}/check-out")
    call("GET", "/profiles", "/profiles")
