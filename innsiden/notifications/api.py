"""Notifications as JSON under /api/v1/notifications, through the same service.

The list is paged in the one shape of `innsiden.listing` (`?cursor=` is the `next` of the
previous page; `before` is its older name)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, jsonify
from pydantic import BaseModel
from werkzeug import Response

from innsiden import listing
from innsiden.db import get_session
from innsiden.listing import cursor_arg
from innsiden.notifications import service
from innsiden.notifications.models import Notification
from innsiden.openapi import describe
from innsiden.web import acting_member, json_body

bp = Blueprint("notifications_api", __name__, url_prefix="/api/v1/notifications")


class NotificationOut(BaseModel):
    id: int
    kind: str
    title: str
    excerpt: str
    url: str
    group_id: int | None
    created_at: datetime
    read: bool


class NotificationPage(BaseModel):
    notifications: list[NotificationOut]
    next: int | None
    unread: int


class Marked(BaseModel):
    marked: int


class NotificationSettingsOut(BaseModel):
    email_mode: str | None
    announcements_immediate: bool


class NotificationSettingsIn(BaseModel):
    email_mode: str
    announcements_immediate: bool | None = None


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
@describe(
    "The member's notifications, newest first", response=NotificationPage, paged="notifications"
)
def index() -> Response:
    session = get_session()
    member = acting_member()
    size = service.PAGE_SIZE
    items = service.visible(session, member, before_id=cursor_arg("before"), limit=size + 1)
    next_cursor = items[size - 1].id if len(items) > size else None
    shown = [_as_json(n) for n in items[:size]]
    unread = service.unread_count(session, member)
    return jsonify(listing.page("notifications", shown, next_cursor, unread=unread))


@bp.post("/<int:notification_id>/read")
@describe("Mark one notification read", response=NotificationOut)
def mark_read(notification_id: int) -> Response:
    session = get_session()
    notification = service.mark_read(session, acting_member(), notification_id)
    session.commit()
    return jsonify(_as_json(notification))


@bp.post("/read-all")
@describe("Mark every notification read", response=Marked)
def mark_all_read() -> Response:
    session = get_session()
    count = service.mark_all_read(session, acting_member())
    session.commit()
    return jsonify({"marked": count})


@bp.get("/settings")
@describe("The member's e-mail settings for notifications", response=NotificationSettingsOut)
def settings() -> Response:
    member, session = acting_member(), get_session()
    return jsonify(
        {
            "email_mode": service.email_mode(session, member.number),
            "announcements_immediate": service.announcements_immediate(session, member.number),
        }
    )


@bp.put("/settings")
@describe(
    "Change the e-mail settings", body=NotificationSettingsIn, response=NotificationSettingsOut
)
def save_settings() -> Response:
    session = get_session()
    body = json_body()
    member = acting_member()
    service.set_email_mode(session, member, str(body.get("email_mode", "")))
    if isinstance(body.get("announcements_immediate"), bool):
        service.set_announcements_immediate(session, member, body["announcements_immediate"])
    session.commit()
    return jsonify(
        {
            "email_mode": body.get("email_mode"),
            "announcements_immediate": service.announcements_immediate(session, member.number),
        }
    )
