"""Every /api/v1 error is RFC 9457 problem details; paged lists share one cursor shape."""

from __future__ import annotations

from innsiden.notifications.models import Notification
from innsiden.notifications.service import PAGE_SIZE
from tests.conftest import login_as

PROBLEM = "application/problem+json"


def _is_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["status"] == status and problem["code"] == code
    assert problem["type"].endswith(f"/utviklere/api#problem-{code}")
    assert problem["title"] and problem["detail"]
    return problem


def test_errors_of_every_kind_are_problem_details(client, kari):
    anonymous = client.get("/api/v1/me")
    _is_problem(anonymous, 401, "unauthenticated")
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")

    login_as(client, kari)
    _is_problem(client.get("/api/v1/finnes-ikke"), 404, "http_404")
    _is_problem(client.delete("/api/v1/me"), 405, "http_405")
    _is_problem(client.get("/api/v1/groups/999999"), 404, "not_found")
    refused = _is_problem(client.get("/api/v1/search?q=x&page=0"), 400, "validation_failed")
    assert "page" in refused["fields"]


def test_a_paged_list_is_walked_with_its_next_cursor(client, db, kari):
    total = PAGE_SIZE + 3
    db.add_all(
        Notification(recipient_number=kari.number, kind="test", title=f"n{i}", url="/")
        for i in range(total)
    )
    db.commit()
    login_as(client, kari)
    first = client.get("/api/v1/notifications").get_json()
    assert len(first["notifications"]) == PAGE_SIZE and first["next"] is not None
    second = client.get(f"/api/v1/notifications?cursor={first['next']}").get_json()
    assert len(second["notifications"]) == 3 and second["next"] is None
    seen = {n["id"] for n in first["notifications"] + second["notifications"]}
    assert len(seen) == total
