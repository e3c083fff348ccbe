"""Live updates over Socket.IO: the only module that imports Flask-SocketIO.

Every connection and every room join asks the permission module, exactly like a page does.
With several processes, set INNSIDEN_REDIS_URL and they share a Redis message queue; other
processes (membersync, the job runner) emit through the same queue.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, request
from flask_login import current_user
from flask_socketio import SocketIO, disconnect, join_room
from sqlalchemy import select

from innsiden import access
from innsiden.db import get_session
from membersync.models import Member

log = logging.getLogger(__name__)

socketio = SocketIO()

# Room name → the access check a member must pass to join it. Capabilities register
# their room kinds ("thread", "group", …) with `room_kind`.
RoomCheck = Callable[[Any, Any, str], bool]
_room_checks: dict[str, RoomCheck] = {}


def member_room(member_number: int) -> str:
    """The private room every connection of one member joins."""
    return f"member:{member_number}"


def room_kind(kind: str) -> Callable[[RoomCheck], RoomCheck]:
    """Register who may join rooms named "<kind>:<id>" (checked on every join)."""

    def register(check: RoomCheck) -> RoomCheck:
        _room_checks[kind] = check
        return check

    return register


def current_member_with_access() -> Any | None:
    """The connected member if they may still use the portal, else None."""
    if not current_user.is_authenticated:
        return None
    member = current_user.member
    session = get_session()
    return member if access.may_use_portal(session, member) else None


def _origin_checker(configured: str) -> Callable[[str, dict[str, Any]], bool]:
    """Accept only the portal's own origin: the configured address, or the very host the
    browser connected to. A page on another site (cross-site WebSocket hijacking) sends
    its own Origin with our Host, and is refused."""
    configured = configured.rstrip("/")

    def allowed(origin: str, environ: dict[str, Any]) -> bool:
        if origin == configured:
            return True
        host = environ.get("HTTP_HOST", "")
        scheme = environ.get("wsgi.url_scheme", "http")
        return bool(host) and origin == f"{scheme}://{host}"

    return allowed


def init_app(app: Flask) -> None:
    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=app.config["REDIS_URL"] or None,
        channel=app.config["SOCKETIO_CHANNEL"],
        cors_allowed_origins=_origin_checker(app.config["BASE_URL"]),
        manage_session=False,
    )


# This process's live connections: sid → (member number, access epoch at connect).
_connections: dict[str, tuple[int, int]] = {}
_connections_lock = threading.Lock()
_watcher_started = threading.Event()
ACCESS_RECHECK_SECONDS = 2.0


@socketio.on("connect")
def _on_connect(_auth: Any = None) -> bool:
    member = current_member_with_access()
    if member is None:
        return False  # refuses the handshake
    join_room(member_room(member.number))
    with _connections_lock:
        _connections[request.sid] = (member.number, member.access_epoch)  # type: ignore[attr-defined]
    _start_access_watcher(current_app._get_current_object())  # type: ignore[attr-defined]
    return True


@socketio.on("disconnect")
def _on_disconnect(*_args: Any) -> None:
    with _connections_lock:
        _connections.pop(request.sid, None)  # type: ignore[attr-defined]


def _start_access_watcher(app: Flask) -> None:
    if _watcher_started.is_set():
        return
    _watcher_started.set()
    socketio.start_background_task(_watch_access, app)


def _watch_access(app: Flask) -> None:
    """Close connections of members who lost access, whichever process or sync revoked it."""
    while True:
        socketio.sleep(ACCESS_RECHECK_SECONDS)
        try:
            with app.app_context():
                close_revoked_connections()
        except Exception:
            log.exception("realtime access check failed")


def close_revoked_connections() -> int:
    """Disconnect every local connection whose member may no longer use the portal."""
    with _connections_lock:
        snapshot = dict(_connections)
    if not snapshot:
        return 0
    session = get_session()
    numbers = {number for number, _epoch in snapshot.values()}
    members = {
        m.number: m for m in session.scalars(select(Member).where(Member.number.in_(numbers)))
    }
    closed = 0
    for sid, (number, epoch) in snapshot.items():
        member = members.get(number)
        still_allowed = (
            member is not None
            and member.access_epoch == epoch
            and access.may_use_portal(session, member)
        )
        if not still_allowed:
            socketio.server.disconnect(sid, namespace="/")
            with _connections_lock:
                _connections.pop(sid, None)
            closed += 1
    session.rollback()
    return closed


@socketio.on("join")
def _on_join(data: Any) -> dict[str, Any]:
    member = current_member_with_access()
    if member is None:
        disconnect()
        return {"ok": False}
    room = str((data or {}).get("room", ""))
    kind, _, ident = room.partition(":")
    check = _room_checks.get(kind)
    if check is None or not ident or not check(get_session(), member, ident):
        return {"ok": False}  # same answer for "no such room" and "not yours"
    join_room(room)
    return {"ok": True}


def emit_to_room(room: str, event: str, data: dict[str, Any]) -> None:
    """Push an event to everyone in `room` (across processes when a queue is configured)."""
    socketio.emit(event, data, to=room)


def disconnect_member(member_number: int) -> None:
    """Close this process's live connections of a member at once (other processes follow
    within ACCESS_RECHECK_SECONDS through their own access watcher)."""
    with _connections_lock:
        sids = [sid for sid, (number, _e) in _connections.items() if number == member_number]
        for sid in sids:
            _connections.pop(sid, None)
    for sid in sids:
        socketio.server.disconnect(sid, namespace="/")
