"""A small organisation for the events tests: Bergen lokallag (a leader who organises, two
members), Voss in the same fylkeslag, Oslo in another; helpers that act through the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from innsiden import events
from innsiden.groups.anchors import location_group_ids
from innsiden.jobs import run_all
from membersync.db import utcnow
from membersync.models import Member
from tests.factories import make_member, make_small_organisation
from tests.groups.helpers import client_for


@dataclass
class World:
    app: Flask
    bergen: int  # group id of Bergen lokallag
    vestland: int  # group id of Vestland fylkeslag (Bergen and Voss)
    oslo: int
    kari: Member  # lokallagsleder of Bergen: moderates its group, organises events
    anne: Member
    per: Member
    voss: Member  # Voss lokallag, same fylkeslag as Bergen
    outsider: Member  # Oslo lokallag, another fylkeslag

    def client(self, member: Member) -> FlaskClient:
        return client_for(self.app, member)


@pytest.fixture
def world(app, db) -> World:
    units = make_small_organisation(db)
    kari = make_member(
        db,
        units["0001"],
        first_name="Kari",
        last_name="Nordmann",
        roles=["lokallagsleder@0001"],
        email="kari@example.no",
        mobile="+4791234567",
    )
    anne = make_member(
        db,
        units["0001"],
        first_name="Anne",
        last_name="Berg",
        email="anne@example.no",
        mobile="+4799887766",
    )
    per = make_member(db, units["0001"], first_name="Per", last_name="Dahl", email="per@example.no")
    voss = make_member(db, units["0002"], first_name="Vigdis", last_name="Voss")
    outsider = make_member(db, units["0301"], first_name="Ola", last_name="Oslo")
    db.commit()
    ids = location_group_ids(db, ["0001", "F01", "0301"])
    db.commit()
    return World(app, ids["0001"], ids["F01"], ids["0301"], kari, anne, per, voss, outsider)


def in_days(days: float, hour: int = 18) -> datetime:
    """A time `days` from now at `hour`:00 UTC (whole hours keep assertions readable)."""
    moment = utcnow() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def create_gathering(client: FlaskClient, group_id: int, **fields: Any) -> dict[str, Any]:
    body = {
        "group_id": group_id,
        "title": "Årsmøte",
        "starts_at": in_days(10).isoformat(),
        "ends_at": (in_days(10) + timedelta(hours=3)).isoformat(),
        "place": "Folkets hus",
        **fields,
    }
    response = client.post("/api/v1/gatherings", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def reply(client: FlaskClient, gathering_id: int, answer: str = "yes", **extra: Any):
    return client.post(f"/api/v1/gatherings/{gathering_id}/reply", json={"answer": answer, **extra})


def run_jobs(app: Flask, db) -> dict[str, int]:
    """Run every job once, with recorded events old enough for the consumers' safety lag."""
    db.execute(update(events.DomainEvent).values(created_at=utcnow() - timedelta(minutes=1)))
    db.commit()
    done = run_all(app)
    assert all(count >= 0 for count in done.values()), done
    return done
