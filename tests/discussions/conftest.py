"""A small organisation for the discussions tests: Bergen lokallag (leader, two members)
and an outsider in Oslo, each with a logged-in client; helpers to write through the API."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from innsiden.groups.anchors import location_group_ids
from membersync.models import Member
from tests.factories import make_member, make_small_organisation
from tests.groups.helpers import client_for


@dataclass
class World:
    app: Flask
    bergen: int  # group id of Bergen lokallag
    oslo: int
    leader: Member  # lokallagsleder: administers (moderates) Bergen's group
    anne: Member
    per: Member
    outsider: Member  # Oslo lokallag: not in Bergen's group

    def client(self, member: Member) -> FlaskClient:
        return client_for(self.app, member)


@pytest.fixture
def world(app, db) -> World:
    units = make_small_organisation(db)
    leader = make_member(
        db, units["0001"], first_name="Kari", last_name="Nordmann", roles=["lokallagsleder@0001"]
    )
    anne = make_member(db, units["0001"], first_name="Anne", last_name="Berg")
    per = make_member(db, units["0001"], first_name="Per", last_name="Dahl")
    outsider = make_member(db, units["0301"], first_name="Ola", last_name="Oslo")
    db.commit()
    ids = location_group_ids(db, ["0001", "0301"])
    db.commit()
    return World(app, ids["0001"], ids["0301"], leader, anne, per, outsider)


def start_thread(client: FlaskClient, group_id: int, title: str = "Årsmøtet", body: str = "Hei!"):
    """Start a thread through the API; returns (thread id, opening post id)."""
    response = client.post(
        f"/api/v1/discussions/groups/{group_id}/threads", json={"title": title, "body": body}
    )
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    return data["thread"]["id"], data["post"]["id"]


def reply(client: FlaskClient, thread_id: int, body: str, **extra) -> int:
    response = client.post(
        f"/api/v1/discussions/threads/{thread_id}/posts", json={"body": body, **extra}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def posts_of(client: FlaskClient, thread_id: int) -> list[dict]:
    response = client.get(f"/api/v1/discussions/threads/{thread_id}")
    assert response.status_code == 200
    return response.get_json()["posts"]
