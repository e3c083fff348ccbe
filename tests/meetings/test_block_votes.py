"""Block votes (blokkvotering) on the drafting committee's recommendations: one amendment
taken out by a voter is voted separately, the rest settled by one block vote; the adopted text
is what separate votes with the same outcomes give, and the votes held are listed in the order
held. Pulling out is for voters only, and only before the block vote opens."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.meetings import motion_text, motions
from innsiden.meetings.models import MeetingMotion
from tests.meetings.conftest import Bergen, audit_entries, call, url
from tests.meetings.test_motions_elections import _open_vote, _ready


def test_a_block_vote_with_one_amendment_pulled_out_gives_the_separately_voted_text(
    app, db: Session, bergen: Bergen
) -> None:
    meeting_id = call(bergen)
    proposer = bergen.client(bergen.paid[0])
    leader = bergen.client(bergen.leader)
    api = f"/api/v1/meetings/{meeting_id}/motions"
    text = "Vi vil ha\nbedre busstilbud\ni hele fylket\ninnen 2030."
    sent = proposer.post(
        url(bergen, meeting_id, "/forslag"), data={"title": "Kollektivtrafikk", "text": text}
    )
    assert sent.status_code == 302
    motion_id = db.scalar(select(MeetingMotion.id))
    page_url = url(bergen, meeting_id, f"/forslag/{motion_id}")
    amendments = [
        {"operation": "replace", "start": 2, "text": ["gratis buss"]},  # E1: adopt
        {"operation": "delete", "start": 2, "end": 3},  # E2: reject
        {"operation": "add_after", "start": 4, "text": ["Fylket betaler."]},  # E3: adopt
    ]
    ids = [
        proposer.post(f"{api}/{motion_id}/amendments", json=a).get_json()["id"] for a in amendments
    ]
    for amendment_id, recommendation in zip(ids, ("adopt", "reject", "adopt"), strict=True):
        saved = leader.post(
            f"{page_url}/innstilling",
            data={"amendment_id": amendment_id, "recommendation": recommendation, "note": ""},
        )
        assert saved.status_code == 302

    voters = [bergen.leader, *bergen.paid]
    _ready(bergen, meeting_id, bergen.leader, voters)
    # Someone without the right to vote (in arrears, not checked in) cannot pull out.
    owing = bergen.client(bergen.owing)
    refused = owing.post(f"{api}/{motion_id}/pull-out", json={"amendment_id": ids[2]})
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    # A voter takes E3 out of the block, openly; the page says who.
    voter = bergen.client(bergen.paid[1])
    pulled = voter.post(f"{page_url}/ta-ut", data={"amendment_id": ids[2]})
    assert pulled.status_code == 302
    assert (
        voter.post(f"{api}/{motion_id}/pull-out", json={"amendment_id": ids[2]}).status_code == 409
    )
    entries = audit_entries(db, "meeting.amendment_pulled_out")
    assert [e.actor_number for e in entries] == [bergen.paid[1].number]
    shown = proposer.get(f"{api}/{motion_id}").get_json()
    assert shown["block"] == ["E1", "E2"]
    assert shown["pull_outs"] == {"E3": [bergen.paid[1].number]}
    page = proposer.get(page_url).get_data(as_text=True)
    assert "Aktiv1" in page and "data-block-status" in page

    # Members cannot open the block vote; the chair can.
    assert proposer.post(f"{api}/{motion_id}/block").status_code == 403
    assert leader.post(f"{page_url}/blokk").status_code == 302
    # Too late to pull out now.
    late = bergen.client(bergen.paid[2]).post(
        f"{api}/{motion_id}/pull-out", json={"amendment_id": ids[0]}
    )
    assert late.status_code == 409

    clients = [bergen.client(m) for m in voters]
    choices = {"en bloc": "ja", "E3": "nei", "helhet": "ja"}
    held: list[str] = []
    vote = _open_vote(db, meeting_id)
    for _step in range(10):
        if vote is None:
            answer = leader.post(f"{api}/{motion_id}/next").get_json()
            if answer["vote_id"] is None:
                break
            vote = _open_vote(db, meeting_id)
        key = next(k for k in choices if k in vote.question)
        held.append(key)
        for client in clients:
            cast = client.post(
                url(bergen, meeting_id, f"/voteringer/{vote.id}/stem"),
                data={"choice": choices[key]},
            )
            assert cast.status_code == 302
        leader.post(url(bergen, meeting_id, f"/voteringer/{vote.id}/lukk"))
        vote = None
    # The block first, then the pulled-out amendment, then the motion as a whole.
    assert held == ["en bloc", "E3", "helhet"]
    final = proposer.get(f"{api}/{motion_id}").get_json()
    assert [(h["block"], h["amendment"], h["adopted"]) for h in final["votes_held"]] == [
        (["E1", "E2"], None, True),
        (None, "E3", False),
        (None, None, True),
    ]
    assert final["state"] == "adopted"
    assert {a["label"]: a["state"] for a in final["amendments"]} == {
        "E1": "adopted",
        "E2": "rejected",
        "E3": "rejected",
    }
    # The same text and diff as separate votes with the same outcomes.
    with app.test_request_context():
        motion = db.get(MeetingMotion, motion_id)
        rows = motions.amendments_of(db, motion)
        separate = motion_text.adopted(
            *motions.engine_form(motion, rows),
            {str(ids[0]): True, str(ids[1]): False, str(ids[2]): False, None: True},
        )
    expected = ["Vi vil ha", "gratis buss", "i hele fylket", "innen 2030."]
    assert final["adopted_text"] == expected == list(separate.text)
    assert final["diff"] == [
        {"kind": d.kind, "old": d.old, "new": d.new, "text": d.text}
        for d in motion_text.diff(text.split("\n"), separate.text)
    ]
    page = proposer.get(page_url).get_data(as_text=True)
    assert "data-votes-held" in page and "Blokkvotering: E1, E2" in page
