"""auth as JSON under /api/v1: who am I, and log out everywhere."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask_login import logout_user
from werkzeug import Response

from innsiden import access, realtime
from innsiden.auth import service
from innsiden.db import get_session
from innsiden.web import current_member
from membersync.models import Member

bp = Blueprint("auth_api", __name__, url_prefix="/api/v1")


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
def me() -> Response:
    member = current_member()
    assert member is not None  # the login requirement answers 401 before this
    return jsonify(member_json(member))


@bp.post("/auth/logout-everywhere")
def logout_everywhere() -> Response:
    member = current_member()
    assert member is not None
    db = get_session()
    service.log_out_everywhere(db, member)
    db.commit()
    realtime.disconnect_member(member.number)
    logout_user()
    return jsonify({"ok": True})
