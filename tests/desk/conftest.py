"""A small organisation with a lokallag leader and members in and out of restanse."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from innsiden.audit import AuditEntry
from innsiden.db import session_factory
from innsiden.desk.sending import send_messages
from membersync.models import Member
from tests.conftest import login_as
from tests.factories import make_member, make_small_organisation


@dataclass
class World:
    app: Flask
    leader: Member  # lokallagsleder of Bergen (0001)
    plain: Member  # an ordinary member of Bergen
    paid: Member  # aktiv, with a mobile
    owing: list[Member]  # restanse in Bergen, with a mobile
    owing_no_phone: Member  # restanse in Bergen, no mobile
    elsewhere: Member  # restanse in Voss (0002), with a mobile
    former: Member  # utmeldt in Bergen, with a mobile

    def client(self, member: Member) -> FlaskClient:
        client = self.app.test_client()
        login_as(client, member)
        return client


@pytest.fixture
def world(app, db) -> World:
    return build_world(app, db)


def build_world(app: Flask, db) -> World:
    make_small_organisation(db)
    leader = make_member(
        db, "0001", first_name="Kari", email="kari@example.no", mobile="+4791000001",
        roles=["lokallagsleder@0001"],
    )  # fmt: skip
    plain = make_member(db, "0001", first_name="Per", email="per@example.no")
    paid = make_member(db, "0001", first_name="Anne", mobile="+4791000002")
    owing = [
        make_member(db, "0001", first_name=name, status="restanse", mobile=f"+479100001{i}")
        for i, name in enumerate(["Åse", "Bjørn", "Cecilie"])
    ]
    owing_no_phone = make_member(db, "0001", first_name="Dag", status="restanse")
    elsewhere = make_member(
        db, "0002", first_name="Vossing", status="restanse", mobile="+4791000099"
    )
    former = make_member(db, "0001", first_name="Utmeldt", status="utmeldt", mobile="+4791000098")
    db.commit()
    return World(app, leader, plain, paid, owing, owing_no_phone, elsewhere, former)


def run_sender(app: Flask) -> int:
    """One job runner's pass of the desk's sending job, in a session of its own."""
    with app.app_context(), session_factory(app)() as session:
        sent = send_messages(session)
        session.commit()
        return sent


def audit_entries(db, action: str) -> list[AuditEntry]:
    entries = list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)))
    db.commit()
    return entries


def sms_form(**overrides: str) -> dict[str, str]:
    return {
        "channel": "sms", "segment": "restanse", "subject": "", "reply_to": "",
        "body": "Hei {fornavn}! Husk kontingenten.", **overrides,
    }  # fmt: skip


PRICE = Decimal("0.45")
