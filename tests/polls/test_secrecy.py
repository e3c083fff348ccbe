"""Secret polls: nothing in the database or the API tells how a given member voted, and the
receipt lets each voter check their own ballot after the close."""

import uuid

import pytest
from sqlalchemy import Boolean, DateTime, inspect, select, text
from sqlalchemy.exc import OperationalError

from innsiden.audit import AuditEntry
from innsiden.events import DomainEvent
from innsiden.polls.models import PollBallot, PollVoter
from innsiden.polls.secrecy import fingerprint, receipt_hash
from tests.factories import make_member
from tests.polls.conftest import client_for, close_now, create_poll, option_ids, run_poll_job, vote

VOTERS = 20


@pytest.fixture
def voted(app, db, bergen):
    """A secret poll where 20 members voted yes, no, yes, no, … in that order."""
    voters = [make_member(db, "0001", first_name=f"V{i}") for i in range(VOTERS)]
    db.commit()
    poll_id = create_poll(app, bergen.leader, bergen.group_id)
    yes, no, _blank = option_ids(client_for(app, bergen.leader), poll_id)
    receipts = {}
    for index, member in enumerate(voters):
        choice = yes if index % 2 == 0 else no
        response = vote(client_for(app, member), poll_id, [choice])
        assert response.status_code == 201
        receipts[member.number] = (response.get_json()["receipt"], choice)
    return poll_id, voters, receipts, (yes, no)


def _rows(db, table):
    return [dict(row._mapping) for row in db.execute(text(f'SELECT * FROM "{table}"'))]


def test_no_column_of_any_poll_table_links_a_ballot_to_a_member(app, db, bergen, voted):
    _poll_id, voters, _receipts, _ids = voted
    numbers = {m.number for m in voters}
    db.commit()
    inspector = inspect(db.get_bind())
    tables = [t for t in inspector.get_table_names() if t.startswith("poll")]
    assert {"poll", "poll_option", "poll_elector", "poll_voter", "poll_ballot"} <= set(tables)
    ballot_columns = {c["name"] for c in inspector.get_columns("poll_ballot")}
    assert ballot_columns == {"id", "poll_id", "receipt_hash", "choices"}
    assert inspector.get_foreign_keys("poll_ballot")[0]["referred_table"] == "poll"
    assert len(inspector.get_foreign_keys("poll_ballot")) == 1
    for table in ("poll_ballot", "poll_voter"):
        for column in inspector.get_columns(table):
            # No time at all: nothing finer than the poll's closing time can be stored.
            assert not isinstance(column["type"], DateTime), (table, column["name"])
    ballots = _rows(db, "poll_ballot")
    assert len(ballots) == VOTERS
    for ballot in ballots:
        assert uuid.UUID(str(ballot["id"])).version == 4
        values = {str(v) for v in ballot.values()}
        assert not values & {str(n) for n in numbers}
    for voter in _rows(db, "poll_voter"):
        assert voter["choices"] is None  # a secret poll keeps no choice with the voter
        assert set(voter) == {"poll_id", "member_number", "voted", "choices"}
    for table in tables:
        if table in ("poll_ballot", "poll_voter", "poll_elector"):
            continue
        for row in _rows(db, table):
            assert not {str(v) for v in row.values()} & {str(n) for n in numbers}, table
    assert isinstance(inspector.get_columns("poll_voter")[2]["type"], Boolean)


def test_no_event_or_audit_entry_records_a_vote(app, db, voted):
    _poll_id, voters, _r, _ids = voted
    db.commit()
    names = set(db.scalars(select(DomainEvent.name)))
    assert not {n for n in names if "vot" in n or "ballot" in n}
    actors = set(db.scalars(select(AuditEntry.actor_number)))
    assert not actors & {m.number for m in voters}


def test_the_physical_order_of_the_tables_says_nothing(app, db, voted, database_url):
    poll_id, voters, receipts, _ids = voted
    voting_order = [receipt_hash(poll_id, receipts[m.number][0]) for m in voters]
    db.commit()
    if database_url.startswith("sqlite"):
        # WITHOUT ROWID tables: stored by key (random UUID / member number), no hidden rowid.
        for table in ("poll_ballot", "poll_voter", "poll_elector"):
            with pytest.raises(OperationalError):
                db.execute(text(f"SELECT rowid FROM {table}"))
            db.rollback()
        stored = list(db.scalars(text("SELECT receipt_hash FROM poll_ballot")))
        assert stored != voting_order
        return
    run_poll_job(app)  # the job reshuffles secret polls with new ballots
    db.commit()
    stored = list(db.scalars(text("SELECT receipt_hash FROM poll_ballot ORDER BY ctid")))
    assert sorted(stored) == sorted(voting_order) and stored != voting_order
    ballot_xmins = set(db.scalars(text("SELECT xmin::text FROM poll_ballot")))
    voter_xmins = set(db.scalars(text("SELECT xmin::text FROM poll_voter")))
    assert len(ballot_xmins) == 1 and ballot_xmins == voter_xmins  # one transaction wrote all
    numbers = list(db.scalars(text("SELECT member_number FROM poll_voter ORDER BY ctid")))
    assert numbers == sorted(numbers)


def test_no_api_answer_tells_how_a_member_voted(app, db, bergen, voted):
    poll_id, voters, _receipts, _ids = voted
    voter_client = client_for(app, voters[0])
    leader = client_for(app, bergen.leader)
    for client in (voter_client, leader):
        shown = client.get(f"/api/v1/polls/{poll_id}").get_json()
        assert shown["me"]["choices"] is None
        assert shown["votes"] == []
        assert shown["results"] is None  # hidden until the close
        assert client.get(f"/api/v1/polls/{poll_id}/results").status_code == 403
        assert client.get(f"/api/v1/polls/{poll_id}/ballots").status_code == 404
    page = leader.get(f"/avstemninger/{poll_id}").get_data(as_text=True)
    assert "Hvem stemte hva" not in page
    close_now(app, poll_id)
    shown = leader.get(f"/api/v1/polls/{poll_id}").get_json()
    assert shown["votes"] == [] and shown["results"]["ballots"] == VOTERS
    text_of_everything = str(shown) + str(leader.get(f"/api/v1/polls/{poll_id}/ballots").get_json())
    for member in voters:
        assert str(member.number) not in text_of_everything


def test_the_receipt_check_finds_the_ballot_after_the_close(app, db, bergen, voted):
    poll_id, voters, receipts, (_yes, no) = voted
    member = voters[3]
    receipt, choice = receipts[member.number]
    client = client_for(app, member)
    assert (
        client.post(f"/api/v1/polls/{poll_id}/receipt", json={"receipt": receipt}).status_code
        == 404
    )
    close_now(app, poll_id)
    checked = client.post(f"/api/v1/polls/{poll_id}/receipt", json={"receipt": receipt}).get_json()
    assert checked == {"found": True, "choices": ["Nei" if choice == no else "Ja"]}
    missing = client.post(f"/api/v1/polls/{poll_id}/receipt", json={"receipt": "ABCD"}).get_json()
    assert missing == {"found": False, "choices": None}
    listed = client.get(f"/api/v1/polls/{poll_id}/ballots").get_json()["ballots"]
    assert len(listed) == VOTERS
    mine = fingerprint(receipt_hash(poll_id, receipt))
    assert {"receipt": mine, "choices": ["Nei"]} in listed
    assert sum(1 for b in listed if b["choices"] == ["Ja"]) == VOTERS // 2
    page = client.post(f"/avstemninger/{poll_id}/stemmesedler", data={"receipt": receipt})
    assert "er med i tellingen" in page.get_data(as_text=True)
    assert mine in page.get_data(as_text=True)
    db.commit()
    assert db.scalar(select(PollVoter).where(PollVoter.member_number == member.number)) is not None
    assert db.scalar(select(PollBallot).where(PollBallot.receipt_hash == receipt)) is None
