"""Notifications as JSON under /api/v1/notifications, through the same service."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request
from werkzeug import Response

from innsiden.db import get_session
from innsiden.notifications import service
from innsiden.notifications.models import Notification
from innsiden.web import current_member
from membersync.models import Member

bp = Blueprint("notifications_api", __name__, url_prefix="/api/v1/notifications")


def _member() -> Member:
    member = current_member()
    if member is None:
        abort(401)
    return member


def _as_json(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.id,
        "kind": notification.kind,
        "title": notification.title,
        "excerpt": notification.excerpt,
        "url": notification.url,
        "group_id": notification.group_id,
        "created_at": notification.created_at.isoformat(),
        "read": notification.read_at is not None,
    }


@bp.get("")
def index() -> Response:
    session = get_session()
    member = _member()
    items = service.visible(session, member, before_id=request.args.get("before", type=int))
    return jsonify(
        {
            "notifications": [_as_json(n) for n in items],
            "unread": service.unread_count(session, member),
        }
    )


@bp.post("/<int:notification_id>/read")
def mark_read(notification_id: int) -> Response:
    session = get_session()
    notification = service.mark_read(session, _member(), notification_id)
    session.commit()
    return jsonify(_as_json(notification))


@bp.post("/read-all")
def mark_all_read() -> Response:
    session = get_session()
    count = service.mark_all_read(session, _member())
    session.commit()
    return jsonify({"marked": count})


@bp.get("/settings")
def settings() -> Response:
    member = _member()
    return jsonify({"email_mode": service.email_mode(get_session(), member.number)})


@bp.put("/settings")
def save_settings() -> Response:
    session = get_session()
    body = request.get_json(silent=True) or {}
    service.set_email_mode(session, _member(), str(body.get("email_mode", "")))
    session.commit()
    return jsonify({"email_mode": body.get("email_mode")})
