"""Open front pages hear of new entries in their groups after the job wrote them: ids and
kinds only, and only members who may read the group get them."""

from __future__ import annotations

from innsiden import realtime
from tests.discussions.conftest import start_thread
from tests.home.conftest import stream


def _socket(home, member, room):
    socket = realtime.socketio.test_client(home.app, flask_test_client=home.client(member))
    answer = socket.emit("join", {"room": room}, callback=True)
    socket.get_received()
    return socket, answer


def test_new_entries_are_pushed_as_ids_to_readers_of_the_group_only(home):
    per, per_joined = _socket(home, home.per, f"group:{home.bergen}")
    ola, ola_joined = _socket(home, home.ola, f"group:{home.bergen}")
    assert per_joined == {"ok": True} and ola_joined == {"ok": False}

    start_thread(home.client(home.kari), home.bergen, title="Budsjett 2027")
    assert [e for e in per.get_received() if e["name"] == "home:new"] == []  # not before the job
    home.run_jobs()

    [pushed] = [e["args"][0] for e in per.get_received() if e["name"] == "home:new"]
    [entry] = stream(home.client(home.per))["entries"]
    assert pushed == {"group_id": home.bergen, "entries": [{"id": entry["id"], "kind": "thread"}]}
    assert ola.get_received() == []
    per.disconnect()
    ola.disconnect()
