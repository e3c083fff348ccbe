"""auth as JSON under /api/v1: who am I, and log out everywhere."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask_login import logout_user
from pydantic import BaseModel
from werkzeug import Response

from innsiden import access, realtime
from innsiden.auth import service
from innsiden.db import get_session
from innsiden.openapi import describe
from innsiden.web import acting_member
from membersync.models import Member

bp = Blueprint("auth_api", __name__, url_prefix="/api/v1")


class UnitRef(BaseModel):
    id: str
    name: str


class PositionRef(BaseModel):
    role: str
    unit_id: str


class Me(BaseModel):
    """The logged-in member as the register knows them."""

    number: int
    first_name: str
    last_name: str
    full_name: str
    email: str | None
    mobile: str | None
    status: str
    lokallag: UnitRef | None
    positions: list[PositionRef]
    admin: bool


class Ok(BaseModel):
    ok: bool


def member_json(member: Member) -> dict[str, Any]:
    """The logged-in member's own data as the portal knows it from the register."""
    unit = member.lokallag
    return {
        "number": member.number,
        "first_name": member.first_name,
        "last_name": member.last_name,
        "full_name": member.full_name,
        "email": member.email,
        "mobile": member.mobile,
        "status": member.status,
        "lokallag": {"id": unit.id, "name": unit.name} if unit else None,
        "positions": [{"role": p.role, "unit_id": p.unit_id} for p in member.positions],
        "admin": access.can(get_session(), member, "admin.use"),
    }


@bp.get("/me")
@describe("Who am I: the member behind the token or session", response=Me)
def me() -> Response:
    return jsonify(member_json(acting_member()))


@bp.post("/auth/logout-everywhere")
@describe("End every session, login link and token of the member (not with a token)", response=Ok)
def logout_everywhere() -> Response:
    member = acting_member()
    db = get_session()
    service.log_out_everywhere(db, member)
    db.commit()
    realtime.disconnect_member(member.number)
    logout_user()
    return jsonify({"ok": True})
