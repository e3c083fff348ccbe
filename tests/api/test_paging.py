"""Every list of the API comes in one paged shape: walking `next` returns each item exactly
once (also while items are added), `limit` sets the page size, and a cursor or limit that is
not one is a 400 problem, never a silent first page."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from membersync.models import OrgUnit
from tests.content.conftest import publish
from tests.factories import make_member
from tests.files.helpers import PDF, Org, client_for, make_org, uploaded_id
from tests.groups.helpers import make_interest_group


def walk(client: FlaskClient, url: str, name: str, key: str = "id", **extra: Any) -> list[Any]:
    """Every item of a paged list, following `next` to the end; pages are never empty."""
    seen: list[Any] = []
    cursor = None
    joiner = "&" if "?" in url else "?"
    for _ in range(100):
        answer = client.get(url + (f"{joiner}cursor={cursor}" if cursor is not None else ""))
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        assert body[name], "a page is never empty"
        seen += [item[key] for item in body[name]]
        cursor = body["next"]
        if cursor is None:
            return seen
    raise AssertionError("the list never ended")


def _world(app, db) -> tuple[Org, FlaskClient]:
    org = make_org(db)
    return org, client_for(app, org.leader)


def test_files_and_trash_are_walked_once_each_even_while_files_are_added(app, db):
    org, leader = _world(app, db)
    ids = [uploaded_id(leader, org.bergen, f"f{i}.pdf", PDF) for i in range(5)]
    first = leader.get(f"/api/v1/files?group={org.bergen}&limit=2").get_json()
    assert len(first["files"]) == 2 and first["next"] is not None
    ids.append(uploaded_id(leader, org.bergen, "sent.pdf", PDF))  # added mid-walk
    rest = walk(leader, f"/api/v1/files?group={org.bergen}&limit=2", "files")
    assert sorted(rest) == sorted(ids)  # the new one too, none twice
    assert len(rest) == len(set(rest))

    for file_id in ids[:5]:
        assert leader.delete(f"/api/v1/files/{file_id}").status_code == 200
    trashed = walk(leader, f"/api/v1/files/trash?group={org.bergen}&limit=2", "files")
    assert sorted(trashed) == sorted(ids[:5]) and len(trashed) == 5


def test_groups_and_group_members_are_walked_once_each(app, db):
    org, leader = _world(app, db)
    bergen = db.get(OrgUnit, "0001")
    for i in range(4):
        make_member(db, bergen, first_name=f"Medlem{i}")
    for i in range(5):
        make_interest_group(db, f"Gruppe {i}", "open", admin=org.leader)
    db.commit()

    groups = walk(leader, "/api/v1/groups?limit=2", "groups")
    everything = leader.get("/api/v1/groups?limit=200").get_json()
    assert everything["next"] is None
    assert sorted(groups) == sorted(g["id"] for g in everything["groups"])
    assert len(groups) == len(set(groups)) >= 7  # five interest groups, Bergen, Vestland
    mine = walk(leader, "/api/v1/groups?mine=1&limit=1", "groups")
    assert len(mine) == len(set(mine)) >= 7

    url = f"/api/v1/groups/{org.bergen}/members?limit=2"
    numbers = walk(leader, url, "members", key="number")
    total = leader.get(url).get_json()["total"]
    assert len(numbers) == len(set(numbers)) == total == 7  # leader, member, other, four more


def test_news_is_walked_newest_first_once_each(app, db):
    org, _leader = _world(app, db)
    admin = client_for(app, make_member(db, db.get(OrgUnit, "0301"), roles=["sentraladmin@S"]))
    db.commit()
    made = [publish(app, admin, "organisasjonen", title=f"Nytt {i}")["id"] for i in range(5)]
    reader = client_for(app, org.member)
    walked = walk(reader, "/api/v1/content?place=organisasjonen&kind=news&limit=2", "items")
    assert walked == sorted(made, reverse=True)


def test_a_bad_cursor_or_limit_is_a_problem_not_a_first_page(app, db):
    org, leader = _world(app, db)
    for url in (
        f"/api/v1/files?group={org.bergen}&cursor=abc",
        f"/api/v1/files/trash?group={org.bergen}&cursor=-1",
        "/api/v1/groups?cursor=1.5",
        f"/api/v1/groups/{org.bergen}/members?cursor=x",
        "/api/v1/content?cursor=neste",
        "/api/v1/notifications?cursor=abc",
        "/api/v1/groups?limit=0",
        f"/api/v1/files?group={org.bergen}&limit=mange",
    ):
        answer = leader.get(url)
        assert answer.status_code == 400, url
        assert answer.mimetype == "application/problem+json"
        problem = answer.get_json()
        assert problem["code"] == "validation_failed"
        assert set(problem["fields"]) & {"cursor", "limit"}, url
    # A limit above the most is cut to it, not refused.
    assert leader.get("/api/v1/groups?limit=100000").status_code == 200


def test_events_and_polls_are_walked_once_each_in_their_order(app, db):
    from tests.gatherings.conftest import create_gathering, in_days
    from tests.polls.conftest import poll_body

    org, leader = _world(app, db)
    same_time = in_days(3).isoformat()  # ties on start time are ordered by id
    times = [in_days(5).isoformat(), same_time, same_time, in_days(1).isoformat(), same_time]
    made = [
        create_gathering(leader, org.bergen, title=f"Møte {i}", starts_at=at, ends_at=None)["id"]
        for i, at in enumerate(times)
    ]
    walked = walk(leader, f"/api/v1/gatherings?group={org.bergen}&limit=2", "gatherings")
    assert walked == [made[3], made[1], made[2], made[4], made[0]]
    assert leader.get("/api/v1/gatherings?cursor=999999").status_code == 400

    polls = []
    for i in range(5):
        answer = leader.post("/api/v1/polls", json=poll_body(org.bergen, question=f"Sak {i}?"))
        assert answer.status_code == 201, answer.get_json()
        polls.append(answer.get_json()["id"])
    walked = walk(leader, f"/api/v1/polls?group={org.bergen}&limit=2", "polls")
    assert walked == sorted(polls, reverse=True)
