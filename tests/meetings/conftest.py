"""Årsmøte test helpers: Bergen lokallag (0001) with its leader, members in and out of the
right to vote, Voss's leader and an Oslo member as outsiders; meetings called through the
service, and the clock moved by editing a meeting's dates (never by sleeping)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from innsiden.audit import AuditEntry
from innsiden.db import session_factory
from innsiden.groups.anchors import location_group_ids
from innsiden.groups.models import Group
from innsiden.meetings import service
from innsiden.meetings.models import Meeting, MeetingProfile
from membersync.db import utcnow
from membersync.models import Member
from tests.conftest import login_as
from tests.factories import make_member, make_small_organisation


@dataclass
class Bergen:
    app: Flask
    group_id: int
    voss_group_id: int
    leader: Member  # lokallagsleder of Bergen
    paid: list[Member]  # aktiv, paid through 31.12.2026, members since 2020
    owing: Member  # restanse
    new: Member  # aktiv, joined five days ago
    voss_leader: Member  # lokallagsleder of Voss (another group)
    outsider: Member  # an Oslo member

    def client(self, member: Member) -> FlaskClient:
        client = self.app.test_client()
        login_as(client, member)
        return client


@pytest.fixture
def bergen(app: Flask, db: Session) -> Bergen:
    units = make_small_organisation(db)
    leader = make_member(db, units["0001"], first_name="Kari", roles=["lokallagsleder@0001"])
    paid = [make_member(db, units["0001"], first_name=f"Aktiv{i}") for i in range(3)]
    owing = make_member(db, units["0001"], first_name="Rest", status="restanse")
    new = make_member(db, units["0001"], first_name="Ny")
    new.joined_on = date.today() - timedelta(days=5)
    voss_leader = make_member(
        db, units["0002"], first_name="Vossing", roles=["lokallagsleder@0002"]
    )
    outsider = make_member(db, units["0301"], first_name="Oslo")
    db.commit()
    with app.app_context(), session_factory(app)() as session:
        ids = location_group_ids(session, ["0001", "0002"])
        session.commit()
    return Bergen(app, ids["0001"], ids["0002"], leader, paid, owing, new, voss_leader, outsider)


def call(world: Bergen, *, key: str = "parti", days: int = 30, items: tuple[str, ...] = ()) -> int:
    """Call an årsmøte of Bergen `days` from now under profile `key`; returns its id."""
    app = world.app
    with app.test_request_context(), session_factory(app)() as session:
        service.ensure_presets(session)
        row = session.scalar(
            select(MeetingProfile).where(MeetingProfile.key == key).order_by(
                MeetingProfile.version.desc()).limit(1)
        )  # fmt: skip
        data = service.MeetingInput(
            title="Årsmøte 2027", starts_at=utcnow() + timedelta(days=days), place="Folkets hus",
            online_url="", profile_id=row.id, items=items,
        )  # fmt: skip
        leader = session.get(Member, world.leader.number)
        meeting = service.call_meeting(session, leader, session.get(Group, world.group_id), data)
        session.commit()
        return meeting.id


def set_meeting(app: Flask, meeting_id: int, **values: Any) -> None:
    """Stand in for the clock moving on: the cutoff has come, the complaint window closed, …"""
    with session_factory(app)() as session:
        session.execute(update(Meeting).where(Meeting.id == meeting_id).values(**values))
        session.commit()


def cutoff_today(app: Flask, meeting_id: int) -> None:
    set_meeting(app, meeting_id, cutoff_on=utcnow().date())


def complaints_closed(app: Flask, meeting_id: int) -> None:
    set_meeting(app, meeting_id, complaints_until=utcnow() - timedelta(seconds=1))


def url(world: Bergen, meeting_id: int, tail: str = "") -> str:
    return f"/grupper/{world.group_id}/arsmote/{meeting_id}{tail}"


def audit_entries(db: Session, action: str) -> list[AuditEntry]:
    db.commit()
    query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    return list(db.scalars(query))


def in_the_past(days: int) -> datetime:
    return utcnow() - timedelta(days=days)


def add_profile(app: Flask, key: str, **changes: Any) -> None:
    """A profile `key` (version 1): the party preset with `changes` (e.g. proxies allowed)."""
    from innsiden.meetings.profiles import PARTY, revised

    with app.test_request_context(), session_factory(app)() as session:
        data = revised(PARTY, **changes).to_data()
        session.add(MeetingProfile(key=key, version=1, data=data))
        session.commit()


def frozen_meeting(world: Bergen, key: str = "parti") -> tuple[int, str]:
    """A meeting under profile `key` with its roll computed and frozen and check-in open;
    returns (meeting id, room code)."""
    app = world.app
    meeting_id = call(world, key=key)
    cutoff_today(app, meeting_id)
    leader = world.client(world.leader)
    assert leader.post(url(world, meeting_id, "/manntall/beregn")).status_code == 302
    complaints_closed(app, meeting_id)
    assert leader.post(url(world, meeting_id, "/manntall/las")).status_code == 302
    assert leader.post(url(world, meeting_id, "/innsjekk/apne")).status_code == 302
    with session_factory(app)() as session:
        code = session.get(Meeting, meeting_id).room_code
    assert code
    return meeting_id, code
