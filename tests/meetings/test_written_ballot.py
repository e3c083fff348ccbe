"""A written (secret) ballot asked for by one voter: the vote becomes secret, open votes given so
far are set aside, each ballot gets a receipt, and no row in any table links a ballot to a
voter (after the close, on PostgreSQL, not even the rows' transaction ids)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text

from innsiden.meetings.models import MeetingBallot, MeetingVote, VoteElector
from innsiden.schema import metadata
from tests.meetings.conftest import add_profile, audit_entries, frozen_meeting, url


def _every_row(db) -> dict[str, list[dict[str, Any]]]:
    db.commit()
    rows: dict[str, list[dict[str, Any]]] = {}
    for table in metadata.sorted_tables:
        rows[table.name] = [dict(r._mapping) for r in db.execute(select(table))]
    return rows


def test_one_voter_asks_for_a_written_ballot_and_no_row_links_a_ballot_to_a_voter(app, db, bergen):
    meeting_id, code = frozen_meeting(bergen)
    members = [bergen.leader, *bergen.paid]
    clients = [bergen.client(m) for m in members]
    for client in clients:
        client.post(url(bergen, meeting_id, "/innsjekk"), data={"code": code})
    clients[0].post(url(bergen, meeting_id, "/voteringer"), data={"question": "Valg av leder"})
    db.commit()
    vote_id = db.scalar(select(MeetingVote.id))
    cast = url(bergen, meeting_id, f"/voteringer/{vote_id}/stem")
    assert clients[1].post(cast, data={"choice": "ja"}).status_code == 302  # openly, for now

    asked = clients[2].post(url(bergen, meeting_id, f"/voteringer/{vote_id}/skriftlig"))
    assert asked.status_code == 302
    db.commit()
    db.expire_all()
    vote = db.get(MeetingVote, vote_id)
    assert vote.secret and vote.secret_requested_by == bergen.paid[1].number
    (entry,) = audit_entries(db, "meeting.written_ballot_requested")
    assert entry.detail["votes_set_aside"] == 1  # the open vote is gone: everyone votes again

    page = clients[1].post(cast, data={"choice": "ja"})
    assert page.status_code == 200 and "Kvitteringskoden din vises bare nå" in page.get_data(
        as_text=True
    )
    api = clients[2].post(f"/api/v1/meetings/{meeting_id}/votes/{vote_id}/cast",
                          json={"choice": "nei"})  # fmt: skip
    receipts = [api.get_json()["receipt"]]
    assert receipts[0] and len(receipts[0]) == 19
    clients[3].post(cast, data={"choice": "ja"})
    assert clients[3].post(cast, data={"choice": "nei"}).status_code == 409  # once

    voters = {m.number for m in members}
    rows = _every_row(db)
    ballots = rows["meeting_ballot"]
    assert len(ballots) == 3
    assert {b["choice"] for b in ballots} == {"ja", "nei"}
    # The ballot holds its key, the vote, a receipt hash and the choice: nothing of a voter.
    assert all(set(b) == {"id", "vote_id", "receipt_hash", "choice"} for b in ballots)
    ballot_marks = {str(b["id"]) for b in ballots} | {b["receipt_hash"] for b in ballots}
    for table, table_rows in rows.items():
        for row in table_rows:
            values = {str(v) for v in row.values() if v is not None}
            if table != "meeting_ballot":
                assert not values & ballot_marks, (table, row)  # nothing points at a ballot
            else:
                assert not values & {str(n) for n in voters}, row
    # Elector rows say only that a right was used; no choice, no time.
    electors = [r for r in rows["meeting_vote_elector"] if r["vote_id"] == vote_id]
    assert {r["choice"] for r in electors} == {None}
    assert sum(r["voted"] for r in electors) == 3
    # Neither the audit log nor the domain events recorded a cast.
    assert not [r for r in rows["audit_entry"] if "cast" in r["action"]]
    assert not [r for r in rows["domain_event"] if "cast" in r["name"]]

    leader = clients[0]
    assert leader.post(url(bergen, meeting_id, f"/voteringer/{vote_id}/lukk")).status_code == 302
    shown = clients[3].get(f"/api/v1/meetings/{meeting_id}/votes/{vote_id}").get_json()
    assert shown["written"] is True
    assert (shown["result"]["yes"], shown["result"]["no"], shown["voted"]) == (2, 1, 3)
    assert "ja 2 av 3" in shown["result_words"]
    db.commit()
    assert db.scalar(select(MeetingBallot.choice).limit(1)) in ("ja", "nei")
    if db.get_bind().dialect.name == "postgresql":
        # Sealed at the close: every ballot and elector row written by one transaction.
        stamps = db.execute(text(
            "SELECT DISTINCT xmin::text FROM meeting_ballot WHERE vote_id = :v UNION "
            "SELECT DISTINCT xmin::text FROM meeting_vote_elector WHERE vote_id = :v"
        ), {"v": vote_id}).scalars().all()  # fmt: skip
        assert len(stamps) == 1
    db.expire_all()
    assert all(e.choice is None for e in db.scalars(select(VoteElector)))


def test_statutes_without_the_right_refuse_the_request(app, db, bergen):
    add_profile(app, "styret", name="Uten krav", written_ballot=())
    meeting_id, code = frozen_meeting(bergen, key="styret")
    voter = bergen.client(bergen.paid[0])
    voter.post(url(bergen, meeting_id, "/innsjekk"), data={"code": code})
    bergen.client(bergen.leader).post(url(bergen, meeting_id, "/voteringer"),
                                      data={"question": "Regnskap"})  # fmt: skip
    db.commit()
    vote_id = db.scalar(select(MeetingVote.id))
    refused = voter.post(f"/api/v1/meetings/{meeting_id}/votes/{vote_id}/written-ballot")
    assert refused.status_code == 409
    db.commit()
    db.expire_all()
    assert db.get(MeetingVote, vote_id).secret is False
