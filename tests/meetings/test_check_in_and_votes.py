"""Check-in with the room code, out and back; a vote's electorate frozen at its opening from those
checked in with the right to vote, counted with the majority line in words."""

from __future__ import annotations

from sqlalchemy import select

from innsiden.meetings.models import Attendance, Meeting, MeetingVote
from tests.meetings.conftest import audit_entries, call, complaints_closed, cutoff_today, url


def _frozen_meeting(app, bergen) -> int:
    meeting_id = call(bergen)
    cutoff_today(app, meeting_id)
    leader = bergen.client(bergen.leader)
    leader.post(url(bergen, meeting_id, "/manntall/beregn"))
    complaints_closed(app, meeting_id)
    assert leader.post(url(bergen, meeting_id, "/manntall/las")).status_code == 302
    assert leader.post(url(bergen, meeting_id, "/innsjekk/apne")).status_code == 302
    return meeting_id


def _code(db, meeting_id: int) -> str:
    db.commit()
    db.expire_all()
    return db.get(Meeting, meeting_id).room_code


def test_check_in_with_the_room_code_out_and_back_with_a_live_count(app, db, bergen):
    meeting_id = _frozen_meeting(app, bergen)
    code = _code(db, meeting_id)
    api = bergen.client(bergen.paid[0])
    wrong = api.post(f"/api/v1/meetings/{meeting_id}/check-in", json={"code": "XXXXXX"})
    assert wrong.status_code == 400
    db.commit()
    assert db.scalar(select(Attendance)) is None

    inside = api.post(f"/api/v1/meetings/{meeting_id}/check-in", json={"code": code.lower()})
    assert inside.get_json()["count"] == {"present": 1, "voters": 1}
    bergen.client(bergen.owing).post(url(bergen, meeting_id, "/innsjekk"), data={"code": code})
    page = bergen.client(bergen.leader).get(url(bergen, meeting_id)).get_data(as_text=True)
    assert "2 til stede, 1 med stemmerett." in page
    outside = api.post(f"/api/v1/meetings/{meeting_id}/check-out")
    assert outside.get_json()["count"] == {"present": 1, "voters": 0}
    again = api.post(f"/api/v1/meetings/{meeting_id}/check-in", json={"code": code})
    assert again.get_json()["present"] is True
    db.commit()
    assert db.get(Attendance, (meeting_id, bergen.paid[0].number)).check_ins == 2
    # Other groups' members cannot check in, not even with the code.
    foreign = bergen.client(bergen.outsider)
    assert foreign.post(f"/api/v1/meetings/{meeting_id}/check-in",
                        json={"code": code}).status_code == 404  # fmt: skip


def test_a_two_thirds_vote_counts_those_present_at_its_opening(app, db, bergen):
    meeting_id = _frozen_meeting(app, bergen)
    code = _code(db, meeting_id)
    leader = bergen.client(bergen.leader)
    assert (
        leader.post(url(bergen, meeting_id, "/voteringer"), data={"question": "x"}).status_code
        == 303
    )  # nobody checked in yet
    voters = [bergen.client(m) for m in (bergen.leader, *bergen.paid)]
    for client in voters:
        client.post(url(bergen, meeting_id, "/innsjekk"), data={"code": code})
    leader.post(url(bergen, meeting_id, "/voteringer"),
                data={"question": "Endring av § 4 i vedtektene", "kind": "statute"})  # fmt: skip
    db.commit()
    vote = db.scalar(select(MeetingVote))
    assert vote.electorate_size == 4
    cast = url(bergen, meeting_id, f"/voteringer/{vote.id}/stem")

    assert voters[0].post(cast, data={"choice": "ja"}).status_code == 302
    assert voters[0].post(cast, data={"choice": "nei"}).status_code == 409  # once only
    assert voters[1].post(cast, data={"choice": "kanskje"}).status_code == 400
    voters[1].post(cast, data={"choice": "ja"})
    voters[2].post(cast, data={"choice": "nei"})
    voters[3].post(url(bergen, meeting_id, "/utsjekk"))
    gone = voters[3].post(cast, data={"choice": "ja"})
    assert gone.status_code == 409 and "sjekket ut" in gone.get_data(as_text=True)
    late = bergen.client(bergen.new)  # may vote, but came after the opening: not in this vote
    late.post(url(bergen, meeting_id, "/innsjekk"), data={"code": code})
    assert late.post(cast, data={"choice": "ja"}).status_code == 409

    assert leader.post(url(bergen, meeting_id, f"/voteringer/{vote.id}/lukk")).status_code == 302

    page = voters[1].get(url(bergen, meeting_id)).get_data(as_text=True)
    assert "Vedtatt med 2/3 av avgitte stemmer: ja 2 av 3" in page
    db.commit()
    db.expire_all()
    closed = db.get(MeetingVote, vote.id)
    assert closed.state == "closed" and closed.present_at_close == 4  # recorded again at the close
    assert (closed.result["yes"], closed.result["no"], closed.result["needed"]) == (2, 1, 2)
    assert len(audit_entries(db, "meeting.vote_closed")) == 1
