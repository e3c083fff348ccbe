"""An election tie the statutes leave to the chair: the count stops, the chair (and nobody
else) chooses among the tied nominees on the election page, the count completes and the
minutes say the chair decided it."""

from __future__ import annotations

from sqlalchemy import func, select

from innsiden.db import session_factory
from innsiden.meetings import elections, minutes
from innsiden.meetings.models import Election, Meeting
from tests.factories import make_member
from tests.meetings.conftest import Bergen, add_profile, audit_entries, call, url
from tests.meetings.test_motions_elections import _in_context, _ready


def test_a_tie_left_to_the_chair_is_decided_by_the_chair_and_the_minutes_show_it(
    app, db, bergen: Bergen
) -> None:
    add_profile(app, "chair", election_tie="chair", gender_balance="none")
    meeting_id = call(bergen, key="chair")
    leader, member = bergen.client(bergen.leader), bergen.client(bergen.paid[0])
    base = url(bergen, meeting_id, "/valg")
    assert leader.post(base, data={"kind": "substitutes", "seats": "1"}).status_code == 302
    election_id = int(db.scalar(select(func.max(Election.id))))
    anna = make_member(db, "0001", first_name="Anna")
    bjorn = make_member(db, "0001", first_name="Bjørn")
    db.commit()
    election_url = f"{base}/{election_id}"
    for person in (anna, bjorn):
        added = leader.post(
            f"{election_url}/kandidater",
            data={"member_number": person.number, "gender": "annet", "consent": "ja"},
        )
        assert added.status_code == 302
    voters = [bergen.leader, *bergen.paid]
    _ready(bergen, meeting_id, bergen.leader, voters)
    assert leader.post(f"{election_url}/apne").status_code == 302
    ids = {
        n.member_number: n.id
        for n in _in_context(app, lambda s: elections.nominees_of(s, s.get(Election, election_id)))
    }
    first, second = ids[anna.number], ids[bjorn.number]
    for voter, ranking in zip(
        voters, ([first, second], [first, second], [second, first], [second, first]), strict=True
    ):
        cast = bergen.client(voter).post(
            f"{election_url}/stem", data={f"rank-{c}": str(i) for i, c in enumerate(ranking, 1)}
        )
        assert cast.status_code == 200
    # Two against two: who is eliminated is left to the chair; the count waits.
    assert leader.post(f"{election_url}/lukk").status_code == 302
    page = leader.get(election_url).get_data(as_text=True)
    assert "data-chair-tie" in page and 'name="nominee"' in page
    db.commit()
    assert db.get(Election, election_id).state == "tie"
    assert db.get(Election, election_id).elected is None

    # A member who does not run the meeting cannot decide; nor can the chair pick one not tied.
    assert 'name="nominee"' not in member.get(election_url).get_data(as_text=True)
    assert member.post(f"{election_url}/likhet", data={"nominee": second}).status_code == 403
    api = f"/api/v1/meetings/{meeting_id}/elections/{election_id}"
    outside = leader.post(f"{api}/tie", json={"nominee_id": 999999})
    assert outside.status_code == 400 and outside.mimetype == "application/problem+json"
    assert leader.get(api).get_json()["pending_tie"]["tied"] == [str(first), str(second)]

    # The chair has Bjørn eliminated: Anna is elected.
    decided_now = leader.post(f"{election_url}/likhet", data={"nominee": second})
    assert decided_now.status_code == 302, decided_now.get_data(as_text=True)
    db.commit()  # a new snapshot (SQLite keeps the old one within a transaction)
    election = db.get(Election, election_id)
    assert election.state == "closed"
    assert election.elected == [anna.number]
    shown = leader.get(api).get_json()
    assert shown["pending_tie"] is None
    assert shown["chair_ties"][0]["chosen"] == str(second)
    assert shown["chair_ties"][0]["by"] == bergen.leader.number
    decided = audit_entries(db, "meeting.election_tie_decided")
    assert len(decided) == 1 and decided[0].actor_number == bergen.leader.number
    with app.test_request_context(), session_factory(app)() as session:
        drafted = minutes.drafted_text(session, session.get(Meeting, meeting_id))
    assert "avgjort av møteleder" in drafted and "Bjørn" in drafted
    assert leader.post(f"{election_url}/likhet", data={"nominee": second}).status_code == 409
