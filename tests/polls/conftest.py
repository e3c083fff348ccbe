"""Polls test helpers: an organisation with Bergen lokallag's group, polls made through the
service, API clients per member, and the clock moved by editing times (never by sleeping)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from innsiden.db import session_factory
from innsiden.groups.anchors import location_group_ids
from innsiden.polls import drafting, forms, lifecycle
from innsiden.polls.models import Poll
from membersync.db import utcnow
from membersync.models import Member
from tests.conftest import login_as
from tests.factories import make_member, make_small_organisation


@dataclass
class Bergen:
    """Bergen lokallag (unit 0001): its leader, five members, an outsider from Oslo."""

    group_id: int
    leader: Member
    members: list[Member]
    outsider: Member


@pytest.fixture
def bergen(app: Flask, db: Session) -> Bergen:
    units = make_small_organisation(db)
    leader = make_member(db, units["0001"], first_name="Kari", roles=["lokallagsleder@0001"])
    members = [make_member(db, units["0001"], first_name=f"M{i}") for i in range(5)]
    outsider = make_member(db, units["0301"], first_name="Oslo")
    db.commit()
    with app.app_context(), session_factory(app)() as session:
        group_id = location_group_ids(session, ["0001"])["0001"]
        session.commit()
    return Bergen(group_id, leader, members, outsider)


def client_for(app: Flask, member: Member) -> FlaskClient:
    client = app.test_client()
    login_as(client, member)
    return client


def poll_body(group_id: int, **fields: Any) -> dict[str, Any]:
    """A JSON body for POST /api/v1/polls: a secret yes/no poll open now for a week."""
    body: dict[str, Any] = {
        "group_id": group_id,
        "kind": "yes_no",
        "question": "Skal vi støtte kampanjen?",
        "closes_at": (utcnow() + timedelta(days=7)).isoformat(),
    }
    body.update(fields)
    return body


def create_poll(app: Flask, creator: Member, group_id: int, **fields: Any) -> int:
    """Create a poll through the service (as the API would) and return its id."""
    with app.test_request_context(), session_factory(app)() as session:
        from innsiden.groups.models import Group

        group = session.get(Group, group_id)
        actor = session.get(Member, creator.number)
        data = forms.poll_from_json(poll_body(group_id, **fields))
        poll = drafting.create_poll(session, actor, group, data)
        session.commit()
        return poll.id


def set_times(app: Flask, poll_id: int, *, opens: timedelta, closes: timedelta) -> None:
    """Move a poll's times relative to now (stands in for the clock moving on)."""
    now = utcnow()
    with session_factory(app)() as session:
        session.execute(
            update(Poll)
            .where(Poll.id == poll_id)
            .values(opens_at=now + opens, closes_at=now + closes)
        )
        session.commit()


def close_now(app: Flask, poll_id: int) -> None:
    """Make the closing time pass (the poll opened a day ago, closed a second ago)."""
    set_times(app, poll_id, opens=timedelta(days=-1), closes=timedelta(seconds=-1))


def run_poll_job(app: Flask) -> int:
    with app.app_context(), session_factory(app)() as session:
        done = lifecycle.open_and_close(session)
        session.commit()
        return done


def option_ids(client: FlaskClient, poll_id: int) -> list[int]:
    return [o["id"] for o in client.get(f"/api/v1/polls/{poll_id}").get_json()["options"]]


def vote(client: FlaskClient, poll_id: int, choices: Any, receipt: str | None = None):
    body: dict[str, Any] = {"choices": choices}
    if receipt:
        body["receipt"] = receipt
    return client.post(f"/api/v1/polls/{poll_id}/vote", json=body)
