"""Live updates over Socket.IO: turnout to readers, counts only to those who may see them."""

from innsiden import realtime
from tests.conftest import login_as
from tests.polls.conftest import client_for, close_now, create_poll, option_ids, vote


def _socket(app, member):
    client = app.test_client()
    login_as(client, member)
    return realtime.socketio.test_client(app, flask_test_client=client)


def _events(socket, name):
    return [e["args"][0] for e in socket.get_received() if e["name"] == name]


def test_hidden_results_send_only_the_turnout(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id, results_shown="after_close")
    watcher = _socket(app, bergen.members[1])
    assert watcher.emit("join", {"room": f"poll:{poll_id}"}, callback=True) == {"ok": True}
    assert watcher.emit("join", {"room": f"poll-results:{poll_id}"}, callback=True) == {"ok": False}
    leader = _socket(app, bergen.leader)  # even administrators wait for the close
    assert leader.emit("join", {"room": f"poll-results:{poll_id}"}, callback=True) == {"ok": False}
    watcher.get_received()
    voter = client_for(app, bergen.members[0])
    vote(voter, poll_id, [option_ids(voter, poll_id)[0]])
    received = watcher.get_received()
    assert [e["name"] for e in received] == ["poll:turnout"]
    assert received[0]["args"][0] == {"poll_id": poll_id, "voted": 1, "electorate": 6}
    close_now(app, poll_id)
    assert watcher.emit("join", {"room": f"poll-results:{poll_id}"}, callback=True) == {"ok": True}
    watcher.disconnect()
    leader.disconnect()


def test_live_results_reach_the_results_room(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id, results_shown="live")
    watcher = _socket(app, bergen.members[1])
    for room in (f"poll:{poll_id}", f"poll-results:{poll_id}"):
        assert watcher.emit("join", {"room": room}, callback=True) == {"ok": True}
    watcher.get_received()
    voter = client_for(app, bergen.members[0])
    no = option_ids(voter, poll_id)[1]
    vote(voter, poll_id, [no])
    results = _events(watcher, "poll:results")
    assert len(results) == 1 and results[0]["ballots"] == 1
    assert [o["count"] for o in results[0]["options"]] == [0, 1, 0]
    watcher.disconnect()


def test_administrators_see_live_counts_when_results_are_theirs(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id, results_shown="admins")
    leader = _socket(app, bergen.leader)
    member = _socket(app, bergen.members[1])
    assert leader.emit("join", {"room": f"poll-results:{poll_id}"}, callback=True) == {"ok": True}
    assert member.emit("join", {"room": f"poll-results:{poll_id}"}, callback=True) == {"ok": False}
    leader.get_received()
    voter = client_for(app, bergen.members[0])
    vote(voter, poll_id, [option_ids(voter, poll_id)[0]])
    assert _events(leader, "poll:results")[0]["ballots"] == 1
    leader.disconnect()
    member.disconnect()


def test_outsiders_cannot_join_a_poll_room(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id, results_shown="live")
    outsider = _socket(app, bergen.outsider)
    for room in (f"poll:{poll_id}", f"poll-results:{poll_id}", "poll:x", "poll:999999"):
        assert outsider.emit("join", {"room": room}, callback=True) == {"ok": False}
    outsider.disconnect()
