"""Content test helpers: the small organisation with its groups, members in the places that
matter (a writer, a leader who reviews through the register, members elsewhere), and API
clients per member."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from innsiden.db import session_factory
from innsiden.groups.anchors import location_group_ids
from membersync.models import Member
from tests.conftest import login_as
from tests.factories import make_member, make_small_organisation


@dataclass
class Org:
    """Bergen (0001) and Voss (0002) under Vestland (F01); Oslo (0301) under Oslo (F02)."""

    groups: dict[str, int]
    writer: Member  # an ordinary Bergen member
    leader: Member  # lokallagsleder@0001: a reviewer through the register
    bergen: Member  # another Bergen member
    voss: Member  # a member of Voss lokallag (same fylkeslag)
    oslo: Member  # a member in another fylkeslag
    fylkesleder: Member  # fylkesleder@F01, living in Voss
    admin: Member  # sentraladmin


@pytest.fixture
def org(app: Flask, db: Session) -> Org:
    units = make_small_organisation(db)
    people = Org(
        groups={},
        writer=make_member(db, units["0001"], first_name="Silje"),
        leader=make_member(db, units["0001"], first_name="Kari", roles=["lokallagsleder@0001"]),
        bergen=make_member(db, units["0001"], first_name="Bjørn"),
        voss=make_member(db, units["0002"], first_name="Vilde"),
        oslo=make_member(db, units["0301"], first_name="Oskar"),
        fylkesleder=make_member(db, units["0002"], first_name="Frida", roles=["fylkesleder@F01"]),
        admin=make_member(db, units["0301"], first_name="Ola", roles=["sentraladmin@S"]),
    )
    db.commit()
    with app.app_context(), session_factory(app)() as session:
        people.groups = location_group_ids(session, ["0001", "0002", "0301", "F01", "F02"])
        session.commit()
    return people


def client_for(app: Flask, member: Member) -> FlaskClient:
    client = app.test_client()
    login_as(client, member)
    return client


def create(client: FlaskClient, place: int | str, kind: str = "page", **fields: Any) -> dict:
    body = {"place": str(place), "kind": kind, "title": "Om lokallaget", "body": "Hei *alle*."}
    body.update(fields)
    response = client.post("/api/v1/content", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def act(client: FlaskClient, item_id: int, action: str, comment: str = "") -> Any:
    return client.post(
        f"/api/v1/content/{item_id}/transitions", json={"action": action, "comment": comment}
    )


def publish(
    app: Flask, client: FlaskClient, place: int | str, kind: str = "news", **fields: Any
) -> dict:
    """An item created and published directly by a reviewer (`client`)."""
    item = create(client, place, kind, **fields)
    assert act(client, item["id"], "publiser").status_code == 200
    return item
