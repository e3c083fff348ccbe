"""Several server processes share a Redis message queue: events and revocations cross them."""

from __future__ import annotations

import uuid

import pytest
import socketio
from flask_socketio import SocketIO

from innsiden.auth.session import credential_id
from innsiden.realtime import member_room
from membersync.access import end_all_credentials
from tests import services
from tests.factories import make_member, make_small_organisation
from tests.realtime.processes import start_portal, wait_until

pytestmark = pytest.mark.redis


@pytest.fixture(scope="module")
def redis_url():
    reason = services.redis_reachable()
    if reason:
        services.unavailable("redis", reason)
    return services.REDIS_URL


@pytest.fixture(scope="module")
def portals(database_url, redis_url, tmp_path_factory):
    # Started once per backend: tests share the processes, each test has a clean database.
    tmp_path = tmp_path_factory.mktemp("portals")
    channel = f"innsiden-test-{uuid.uuid4().hex[:8]}"
    env = {
        "DATABASE_URL": database_url,
        "INNSIDEN_SECRET_KEY": TEST_SECRET_KEY,
        "INNSIDEN_REDIS_URL": redis_url,
        "INNSIDEN_SOCKETIO_CHANNEL": channel,
        "INNSIDEN_INSTANCE_PATH": str(tmp_path / "instance"),
        # Behind one proxy address, as in production; browsers send it as their Origin.
        "INNSIDEN_BASE_URL": PORTAL_ORIGIN,
    }
    started = [start_portal(env, tmp_path), start_portal(env, tmp_path)]
    yield started, channel
    for portal in started:
        portal.stop()


def session_cookie(app, member) -> str:
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps({"_user_id": credential_id(member), "_fresh": True})


PORTAL_ORIGIN = "http://innsiden.test"
TEST_SECRET_KEY = "test-secret"  # the same as tests/conftest.py's app_config


def connect(url: str, cookie: str, origin: str = PORTAL_ORIGIN) -> tuple[socketio.Client, list]:
    received: list = []
    client = socketio.Client(reconnection=False, websocket_extra_options={"origin": origin})
    client.on("ping_test", received.append)

    client.connect(url, headers={"Cookie": f"session={cookie}"}, transports=["websocket"])
    return client, received


def test_event_emitted_anywhere_reaches_the_member_in_every_process(app, db, portals, redis_url):
    started, channel = portals
    units = make_small_organisation(db)
    member = make_member(db, units["0001"])
    db.commit()
    cookie = session_cookie(app, member)
    connections = [connect(portal.url, cookie) for portal in started]
    try:
        # Another process (the sync, the job runner) emits through the same queue.
        emitter = SocketIO(message_queue=redis_url, channel=channel)
        inboxes = [received for _client, received in connections]
        wait_until(lambda: _emit_until_all_have(emitter, member, inboxes), 30, "event via Redis")
        assert all(inbox[0] == {"hello": member.number} for inbox in inboxes)
    finally:
        for client, _received in connections:
            client.disconnect()


def _emit_until_all_have(emitter, member, inboxes) -> bool:
    # The subscription to Redis is asynchronous after connect; emit until both have heard it.
    if not all(inboxes):
        emitter.emit("ping_test", {"hello": member.number}, to=member_room(member.number))
    return all(inboxes)


def test_connection_closes_in_every_process_when_access_ends(app, db, portals):
    started, _channel = portals
    units = make_small_organisation(db)
    member = make_member(db, units["0001"])
    db.commit()
    cookie = session_cookie(app, member)
    clients = [connect(portal.url, cookie)[0] for portal in started]
    assert all(c.connected for c in clients)
    end_all_credentials(db, member.number)
    db.commit()
    wait_until(lambda: not any(c.connected for c in clients), 30, "connections to close")


def test_refused_handshake_for_a_member_without_access(app, db, portals):
    started, _channel = portals
    units = make_small_organisation(db)
    member = make_member(db, units["0001"], status="utmeldt")
    db.commit()
    with pytest.raises(socketio.exceptions.ConnectionError):
        connect(started[0].url, session_cookie(app, member))


def test_handshake_from_a_foreign_origin_is_refused(app, db, portals):
    started, _channel = portals
    units = make_small_organisation(db)
    member = make_member(db, units["0001"])
    db.commit()
    with pytest.raises(socketio.exceptions.ConnectionError):
        connect(started[0].url, session_cookie(app, member), origin="http://evil.example")
