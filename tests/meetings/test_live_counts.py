"""The meeting's room hears how many are present and how many have voted — numbers only —
pushed after the commit of each check-in and each vote."""

from __future__ import annotations

from sqlalchemy import select

from innsiden import realtime
from innsiden.meetings.models import MeetingVote
from tests.conftest import login_as
from tests.meetings.conftest import frozen_meeting, url


def _socket(app, member):
    client = app.test_client()
    login_as(client, member)
    return realtime.socketio.test_client(app, flask_test_client=client)


def _events(socket, name):
    return [e["args"][0] for e in socket.get_received() if e["name"] == name]


def test_the_room_hears_the_count_present_and_the_turnout(app, db, bergen):
    meeting_id, code = frozen_meeting(bergen)
    watcher = _socket(app, bergen.paid[2])
    assert watcher.emit("join", {"room": f"meeting:{meeting_id}"}, callback=True) == {"ok": True}
    outsider = _socket(app, bergen.outsider)
    assert outsider.emit("join", {"room": f"meeting:{meeting_id}"}, callback=True) == {"ok": False}
    voter = bergen.client(bergen.paid[0])
    voter.post(url(bergen, meeting_id, "/innsjekk"), data={"code": code})
    assert _events(watcher, "meeting:present")[-1] == {
        "meeting_id": meeting_id, "present": 1, "voters": 1
    }  # fmt: skip
    bergen.client(bergen.leader).post(url(bergen, meeting_id, "/voteringer"),
                                      data={"question": "Budsjett"})  # fmt: skip
    db.commit()
    vote_id = db.scalar(select(MeetingVote.id))
    assert _events(watcher, "meeting:vote") == [{"meeting_id": meeting_id}]
    voted = voter.post(f"/api/v1/meetings/{meeting_id}/votes/{vote_id}/cast",
                       json={"choice": "nei"})  # fmt: skip
    assert voted.status_code == 200
    assert _events(watcher, "meeting:votes") == [
        {"meeting_id": meeting_id, "vote_id": vote_id, "voted": 1, "electorate": 1}
    ]
    watcher.disconnect()
    outsider.disconnect()
