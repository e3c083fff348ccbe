"""Helpers for the profile tests: clients logged in as a member, register events."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from innsiden.db import session_factory
from membersync.db import utcnow
from membersync.models import Member, SyncChange
from membersync.sync import apply_member_event
from tests.conftest import login_as


def client_for(app: Flask, member: Member) -> FlaskClient:
    client = app.test_client()
    login_as(client, member)
    return client


def register_row(member: Member, **changes: str) -> dict[str, str]:
    """The member as the register would send them, with `changes` (register-format keys)."""
    row = {
        "medlemsnummer": str(member.number), "fornavn": member.first_name,
        "etternavn": member.last_name, "epost": member.email or "",
        "mobil": member.mobile or "", "adresse": member.address or "",
        "postnummer": member.postal_code or "", "poststed": member.postal_place or "",
        "kommune": member.municipality or "", "lokallag_id": member.lokallag_id or "",
        "status": member.status,
        "innmeldt": member.joined_on.isoformat() if member.joined_on else "",
        "betalt_til": member.paid_until.isoformat() if member.paid_until else "",
        "verv": "|".join(f"{p.role}@{p.unit_id}" for p in member.positions),
        "endret": "2026-12-01T10:00:00+01:00",
    }  # fmt: skip
    row.update(changes)
    return row


def register_says(app: Flask, db: Session, member: Member, **changes: str) -> None:
    """The register pushes a change for the member (the webhook's path: a real sync run)."""
    db.commit()
    db.expire_all()  # the test's session keeps what it read; the register reads it afresh
    row = register_row(db.get(Member, member.number), **changes)
    db.commit()
    result = apply_member_event(
        session_factory(app), {"event": "member.updated", "member": row}, trigger="test"
    )
    assert result.outcome == "applied", result
    age_sync_changes(db)


def age_sync_changes(db: Session, by: timedelta = timedelta(minutes=1)) -> None:
    """Make sync change records old enough for the followers' safety lag."""
    db.execute(update(SyncChange).values(created_at=utcnow() - by))
    db.commit()


def with_address(db: Session, member: Member, **values: Any) -> Member:
    for key, value in values.items():
        setattr(member, key, value)
    db.flush()
    return member
