"""Socket.IO connections follow the same access rule as pages."""

from innsiden import realtime
from membersync.access import end_all_credentials
from tests.conftest import login_as
from tests.factories import make_member, make_small_organisation


def test_anonymous_socket_is_refused(app, client):
    socket = realtime.socketio.test_client(app, flask_test_client=client)
    assert not socket.is_connected()


def test_member_connects_and_is_disconnected_when_access_ends(app, client, db):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"])
    db.commit()
    login_as(client, member)
    socket = realtime.socketio.test_client(app, flask_test_client=client)
    assert socket.is_connected()
    end_all_credentials(db, member.number)
    db.commit()
    with app.app_context():
        assert realtime.close_revoked_connections() == 1
    assert not socket.is_connected()


def test_unknown_room_kind_cannot_be_joined(app, client, db):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"])
    db.commit()
    login_as(client, member)
    socket = realtime.socketio.test_client(app, flask_test_client=client)
    assert socket.emit("join", {"room": "secret:1"}, callback=True) == {"ok": False}
    socket.disconnect()


def test_join_from_a_page_that_went_away_during_the_check_is_answered_quietly(
    app, client, db, monkeypatch
):
    # A reload or a click closes the connection while the server still checks the room:
    # the join is refused instead of failing in the server's event thread.
    units = make_small_organisation(db)
    member = make_member(db, units["0001"])
    db.commit()
    login_as(client, member)
    socket = realtime.socketio.test_client(app, flask_test_client=client)
    server = realtime.socketio.server
    leaving = realtime.live_connections(app).snapshot()

    def check_while_the_page_leaves(_session, _member, _ident):
        for sid in leaving:
            server.manager.disconnect(sid, namespace="/")
        return True

    monkeypatch.setitem(realtime._room_checks, "leaving", check_while_the_page_leaves)
    assert socket.emit("join", {"room": "leaving:1"}, callback=True) == {"ok": False}


def test_join_from_a_page_that_went_away_is_answered_quietly_while_others_stay(
    app, client, db, monkeypatch
):
    # The same with another member's page still connected (the namespace stays): the
    # library then fails differently (KeyError, not ValueError), as a live meeting showed.
    units = make_small_organisation(db)
    member, other = make_member(db, units["0001"]), make_member(db, units["0001"])
    db.commit()
    other_client = app.test_client()
    login_as(other_client, other)
    staying = realtime.socketio.test_client(app, flask_test_client=other_client)
    login_as(client, member)
    socket = realtime.socketio.test_client(app, flask_test_client=client)
    server = realtime.socketio.server
    leaving = {
        sid for sid, (number, _) in realtime.live_connections(app).snapshot().items()
        if number == member.number
    }  # fmt: skip

    def check_while_the_page_leaves(_session, _member, _ident):
        for sid in leaving:
            server.manager.disconnect(sid, namespace="/")
        return True

    monkeypatch.setitem(realtime._room_checks, "leaving", check_while_the_page_leaves)
    assert socket.emit("join", {"room": "leaving:1"}, callback=True) == {"ok": False}
    assert staying.is_connected()
