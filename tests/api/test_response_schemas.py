"""Every operation declares the schema of its success answer, and real
answers of files, profile, search and the leader's desk validate against what is declared."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from innsiden.openapi import API_PREFIX
from tests.api.conftest import bearer, make_token
from tests.files.helpers import PDF, make_org, uploaded_id


def _success(operation: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    status = next(code for code in operation["responses"] if code.startswith("2"))
    return status, operation["responses"][status]


def test_every_operation_declares_its_answer(client, db, kari):
    document = client.get("/api/v1/openapi.json", headers=bearer(make_token(db, kari))).get_json()
    undeclared = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            _status, answer = _success(operation)
            content = answer.get("content", {})
            schema = next(iter(content.values()), {}).get("schema")
            bare = schema in (None, {"type": "object"}) or (
                "allOf" in schema and schema["allOf"][0] == {"type": "object"}
            )
            if bare:
                undeclared.append(f"{method.upper()} {path}")
    assert undeclared == []
    # Two models of one name would be told apart by their module path: rename one instead.
    assert [name for name in document["components"]["schemas"] if "__" in name] == []


def test_answers_of_files_profile_search_and_desk_match_their_schemas(app, client, db):
    org = make_org(db)
    secret = make_token(db, org.leader, scopes=("files:write",))
    headers = bearer(secret)
    document = client.get(f"{API_PREFIX}/openapi.json", headers=headers).get_json()

    def call(method: str, path: str, template: str, **kwargs: Any) -> Any:
        response = client.open(API_PREFIX + path, method=method, headers=headers, **kwargs)
        status, answer = _success(document["paths"][template][method.lower()])
        assert response.status_code == int(status), (path, response.get_json())
        declared = answer["content"]["application/json"]["schema"]
        schema = {"components": document["components"], **declared}
        Draft202012Validator(schema).validate(response.get_json())
        return response.get_json()

    from tests.files.helpers import client_for

    file_id = uploaded_id(client_for(app, org.leader), org.bergen, "vedtekter.pdf", PDF)
    call("GET", f"/files?group={org.bergen}", "/files")
    call("GET", f"/files/{file_id}", "/files/{file_id}")
    call("GET", f"/files/{file_id}/versions", "/files/{file_id}/versions")
    call("GET", f"/files/folders?group={org.bergen}", "/files/folders")
    folder = call("POST", "/files/folders", "/files/folders",
                  json={"group_id": org.bergen, "name": "Styret"})  # fmt: skip
    call("PATCH", f"/files/{file_id}", "/files/{file_id}", json={"folder_id": folder["id"]})
    call("DELETE", f"/files/{file_id}", "/files/{file_id}")
    call("GET", f"/files/trash?group={org.bergen}", "/files/trash")
    call("POST", f"/files/{file_id}/restore", "/files/{file_id}/restore")
    call("GET", "/profile", "/profile")
    call("GET", "/profile/change-requests", "/profile/change-requests")
    call("GET", "/profile/export", "/profile/export")
    call("GET", "/search?q=vedtekter", "/search")
    units = call("GET", "/desk/units", "/desk/units")
    assert units["units"]
    call("GET", "/openapi.json", "/openapi.json")
