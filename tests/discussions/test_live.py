"""Open thread and group pages hear about replies, edits, deletions, reactions and hidden
posts at once — only members who may read the thread, and never more than ids."""

from innsiden import realtime
from tests.discussions.conftest import reply, start_thread


def socket_for(world, member, *rooms):
    socket = realtime.socketio.test_client(world.app, flask_test_client=world.client(member))
    assert socket.is_connected()
    for room in rooms:
        assert socket.emit("join", {"room": room}, callback=True) == {"ok": True}
    socket.get_received()  # forget what came before
    return socket


def events_named(socket, name):
    return [event["args"][0] for event in socket.get_received() if event["name"] == name]


def test_a_reply_reaches_the_other_reader_live_and_no_outsider(world):
    kari = world.client(world.leader)
    thread_id, _ = start_thread(kari, world.bergen)
    per = socket_for(world, world.per, f"thread:{thread_id}", f"group:{world.bergen}")
    outsider = realtime.socketio.test_client(
        world.app, flask_test_client=world.client(world.outsider)
    )
    assert outsider.emit("join", {"room": f"thread:{thread_id}"}, callback=True) == {"ok": False}
    outsider.get_received()

    post_id = reply(world.client(world.anne), thread_id, "Jeg kommer!")

    received = per.get_received()
    posts = [e["args"][0] for e in received if e["name"] == "discussions:post"]
    assert posts == [{"post_id": post_id, "thread_id": thread_id, "action": "created"}]
    lists = [e["args"][0] for e in received if e["name"] == "discussions:thread"]
    assert lists == [{"thread_id": thread_id, "group_id": world.bergen}]
    assert outsider.get_received() == []
    # What the open page then fetches is the post as a reload would show it.
    fragment = world.client(world.per).get(f"/diskusjoner/innlegg/{post_id}/fragment")
    assert fragment.status_code == 200
    assert "Jeg kommer!" in fragment.get_data(as_text=True)
    assert (
        world.client(world.outsider).get(f"/diskusjoner/innlegg/{post_id}/fragment").status_code
        == 404
    )
    per.disconnect()
    outsider.disconnect()


def test_edits_deletions_and_reactions_are_pushed(world):
    anne = world.client(world.anne)
    thread_id, _ = start_thread(world.client(world.leader), world.bergen)
    post_id = reply(anne, thread_id, "Første versjon")
    per = socket_for(world, world.per, f"thread:{thread_id}")

    assert (
        anne.patch(f"/api/v1/discussions/posts/{post_id}", json={"body": "Ny"}).status_code == 200
    )
    assert (
        world.client(world.per)
        .put(f"/api/v1/discussions/posts/{post_id}/reactions/hjerte")
        .status_code
        == 200
    )
    assert anne.delete(f"/api/v1/discussions/posts/{post_id}").status_code == 200

    actions = [e["action"] for e in events_named(per, "discussions:post")]
    assert actions == ["edited", "reacted", "deleted"]
    fragment = world.client(world.per).get(f"/diskusjoner/innlegg/{post_id}/fragment")
    assert "Slettet innlegg" in fragment.get_data(as_text=True)
    assert 'class="post-body"' not in fragment.get_data(as_text=True)
    per.disconnect()


def test_a_hidden_post_is_pushed_as_an_id_only(world):
    anne = world.client(world.anne)
    thread_id, _ = start_thread(world.client(world.leader), world.bergen)
    post_id = reply(anne, thread_id, "Noe upassende")
    per = socket_for(world, world.per, f"thread:{thread_id}")
    response = world.client(world.leader).post(
        f"/diskusjoner/innlegg/{post_id}/skjul", data={"reason": "Personangrep"}
    )
    assert response.status_code == 302
    received = per.get_received()
    assert [e["args"][0] for e in received if e["name"] == "discussions:post"] == [
        {"post_id": post_id, "thread_id": thread_id, "action": "hidden"}
    ]
    assert "upassende" not in repr(received) and "Personangrep" not in repr(received)
    # The open page asks again: gone for members, shown (with the note) to moderators.
    assert (
        world.client(world.per).get(f"/diskusjoner/innlegg/{post_id}/fragment").status_code == 404
    )
    moderator_view = world.client(world.leader).get(f"/diskusjoner/innlegg/{post_id}/fragment")
    assert "Skjult av moderator" in moderator_view.get_data(as_text=True)
    per.disconnect()


def test_a_rollback_pushes_nothing(world):
    kari = world.client(world.leader)
    thread_id, _ = start_thread(kari, world.bergen)
    per = socket_for(world, world.per, f"thread:{thread_id}")
    response = world.client(world.anne).post(
        f"/api/v1/discussions/threads/{thread_id}/posts", json={"body": "   "}
    )
    assert response.status_code == 400
    assert per.get_received() == []
    per.disconnect()
