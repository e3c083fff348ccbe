"""Live updates over Socket.IO: the only module that imports Flask-SocketIO.

Every connection and every room join asks the permission module, exactly like a page does.
With several processes, set INNSIDEN_REDIS_URL and they share a Redis message queue; other
processes (membersync, the job runner) emit through the same queue.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import socketio as python_socketio
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


# After Redis comes back, live updates resume within this many seconds (python-socketio
# doubles its wait between tries up to 60 s, so a long outage left pages still for a minute).
REDIS_RETRY_MAX_SECONDS = 4


class RedisQueue(python_socketio.RedisManager):
    """python-socketio's Redis queue, retrying its subscription at most REDIS_RETRY_MAX_SECONDS
    apart (the library's loop, with a lower ceiling)."""

    sleep: Callable[[float], None] = staticmethod(time.sleep)

    def _redis_listen_with_retries(self) -> Iterator[Any]:
        retry_sleep = 1
        subscribed = False
        while True:
            try:
                if not subscribed:
                    self._redis_connect()
                    self.pubsub.subscribe(self.channel)
                    retry_sleep = 1
                yield from self.pubsub.listen()
            except Exception as error:
                log.warning("live updates: Redis does not answer (%s); retrying", error)
                subscribed = False
                self.sleep(retry_sleep)
                retry_sleep = min(retry_sleep * 2, REDIS_RETRY_MAX_SECONDS)


def _queue(app: Flask) -> python_socketio.Manager:
    """Each app gets its own queue: in-process, or Redis shared by every process. (Passed
    explicitly: Flask-SocketIO would otherwise keep an earlier app's Redis queue.)"""
    url = app.config["REDIS_URL"]
    if url:
        return RedisQueue(url, channel=app.config["SOCKETIO_CHANNEL"])
    return python_socketio.Manager()


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = LiveConnections()
    socketio.init_app(
        app,
        async_mode="threading",
        client_manager=_queue(app),
        cors_allowed_origins=_origin_checker(app.config["BASE_URL"]),
        manage_session=False,
    )


class LiveConnections:
    """This process's live connections of one app: sid → (member number, epoch at connect),
    and the watcher that closes those whose member lost access."""

    def __init__(self) -> None:
        self.by_sid: dict[str, tuple[int, int]] = {}
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.watching = False

    def add(self, sid: str, member: Member) -> None:
        with self.lock:
            self.by_sid[sid] = (member.number, member.access_epoch)
            _counted(len(self.by_sid))

    def remove(self, sid: str) -> None:
        with self.lock:
            self.by_sid.pop(sid, None)
            _counted(len(self.by_sid))

    def snapshot(self) -> dict[str, tuple[int, int]]:
        with self.lock:
            return dict(self.by_sid)


ACCESS_RECHECK_SECONDS = 2.0
# Told this process's number of live connections whenever it changes (the metrics gauge).
connection_listeners: list[Callable[[int], None]] = []


def _counted(count: int) -> None:
    for listener in connection_listeners:
        listener(count)


EXTENSION = "innsiden.live_connections"


def live_connections(app: Flask | None = None) -> LiveConnections:
    return (app or current_app).extensions[EXTENSION]


@socketio.on("connect")
def _on_connect(_auth: Any = None) -> bool:
    member = current_member_with_access()
    if member is None:
        return False  # refuses the handshake
    join_room(member_room(member.number))
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    live_connections(app).add(request.sid, member)  # type: ignore[attr-defined]
    _start_access_watcher(app)
    return True


@socketio.on("disconnect")
def _on_disconnect(*_args: Any) -> None:
    live_connections().remove(request.sid)  # type: ignore[attr-defined]


def _start_access_watcher(app: Flask) -> None:
    connections = live_connections(app)
    with connections.lock:
        if connections.watching:
            return
        connections.watching = True
    socketio.start_background_task(_watch_access, app)


def _watch_access(app: Flask) -> None:
    """Close connections of members who lost access, whichever process or sync revoked it."""
    connections = live_connections(app)
    while not connections.stopped.wait(ACCESS_RECHECK_SECONDS):
        try:
            with app.app_context():
                close_revoked_connections()
        except Exception:
            log.exception("realtime access check failed")


def stop(app: Flask) -> None:
    """Stop the app's access watcher (tests create many apps in one process)."""
    live_connections(app).stopped.set()


def close_revoked_connections() -> int:
    """Disconnect every local connection whose member may no longer use the portal."""
    connections = live_connections()
    snapshot = connections.snapshot()
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
            connections.remove(sid)
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
    try:
        join_room(room)
    except (ValueError, KeyError):
        # The page went away (a reload, a click) while the check ran: nothing to join
        # (python-socketio raises ValueError or KeyError for a connection already gone).
        return {"ok": False}
    return {"ok": True}


def emit_to_room(room: str, event: str, data: dict[str, Any]) -> None:
    """Push an event to everyone in `room` (across processes when a queue is configured)."""
    socketio.emit(event, data, to=room)


def disconnect_member(member_number: int) -> None:
    """Close this process's live connections of a member at once (other processes follow
    within ACCESS_RECHECK_SECONDS through their own access watcher)."""
    connections = live_connections()
    sids = [sid for sid, (number, _e) in connections.snapshot().items() if number == member_number]
    for sid in sids:
        connections.remove(sid)
        socketio.server.disconnect(sid, namespace="/")
