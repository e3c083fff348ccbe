"""Motions voted in the voting order with the adopted text as expected; ballots that break the
rules refused before they are cast; delegates from two lokallag on the fylkesårsmøte's roll,
a withdrawn delegate replaced by the first substitute; outsiders get 404, members without
the right cannot manage."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden.db import session_factory
from innsiden.groups.anchors import location_group_ids
from innsiden.groups.models import Group
from innsiden.meetings import attendance, elections, minutes, roll, service
from innsiden.meetings.models import (
    ElectionBallot,
    ElectionElector,
    Meeting,
    MeetingMotion,
    MeetingProfile,
    MeetingVote,
    RollEntry,
)
from innsiden.meetings.profiles import PARTY, revised
from membersync.db import utcnow
from membersync.models import Member
from tests.factories import make_member
from tests.meetings.conftest import (
    Bergen,
    audit_entries,
    call,
    complaints_closed,
    cutoff_today,
    set_meeting,
    url,
)


def _ready(world: Bergen, meeting_id: int, manager: Member, voters: list[Member]) -> None:
    """The roll computed and frozen, check-in open, `voters` checked in (through the pages)."""
    app = world.app
    cutoff_today(app, meeting_id)
    with app.test_request_context(), session_factory(app)() as session:
        meeting = session.get(Meeting, meeting_id)
        roll.compute(session, meeting)
        session.commit()
    complaints_closed(app, meeting_id)
    with app.test_request_context(), session_factory(app)() as session:
        meeting = session.get(Meeting, meeting_id)
        actor = session.get(Member, manager.number)
        roll.freeze(session, actor, meeting)
        code = attendance.open_check_in(session, actor, meeting)
        for voter in voters:
            attendance.check_in(session, session.get(Member, voter.number), meeting, code)
        session.commit()


def _open_vote(db: Session, meeting_id: int) -> MeetingVote | None:
    db.commit()
    db.expire_all()
    query = select(MeetingVote).where(
        MeetingVote.meeting_id == meeting_id, MeetingVote.state == "open"
    )
    return db.scalar(query)


def test_an_amended_motion_is_voted_in_the_voting_order_and_its_text_is_as_adopted(app, db, bergen):
    meeting_id = call(bergen)
    proposer = bergen.client(bergen.paid[0])
    api = f"/api/v1/meetings/{meeting_id}/motions"
    text = "Vi vil ha\nbedre busstilbud\ni hele fylket\ninnen 2030."
    sent = proposer.post(
        url(bergen, meeting_id, "/forslag"), data={"title": "Kollektivtrafikk", "text": text}
    )
    assert sent.status_code == 302
    motion_id = db.scalar(select(MeetingMotion.id))
    amendments = [
        {"operation": "replace", "start": 2, "text": ["gratis buss"]},
        {"operation": "delete", "start": 2, "end": 3},
        {"operation": "add_after", "start": 4, "text": ["Fylket betaler."]},
    ]
    ids = [
        proposer.post(f"{api}/{motion_id}/amendments", json=a).get_json()["id"] for a in amendments
    ]
    sub = {
        "operation": "replace",
        "start": 1,
        "text": ["gratis og hyppig buss"],
        "target_id": ids[0],
    }
    assert proposer.post(f"{api}/{motion_id}/amendments", json=sub).status_code == 201
    wrong = proposer.post(
        f"{api}/{motion_id}/amendments", json={"operation": "replace", "start": 9, "text": ["x"]}
    )
    assert wrong.status_code == 400 and wrong.mimetype == "application/problem+json"

    shown = proposer.get(f"{api}/{motion_id}").get_json()
    order = [line["amendment"] for line in shown["voting_order"]]
    assert order == ["E2", "E4", "E1", "E3", None]
    # A member may not run the votes; an outsider does not see the motion at all.
    assert proposer.post(f"{api}/{motion_id}/next").status_code == 403
    assert bergen.client(bergen.outsider).get(f"{api}/{motion_id}").status_code == 404
    outsider_page = bergen.client(bergen.outsider).get(url(bergen, meeting_id, "/forslag"))
    assert outsider_page.status_code == 404

    voters = [bergen.leader, *bergen.paid]
    _ready(bergen, meeting_id, bergen.leader, voters)
    leader = bergen.client(bergen.leader)
    clients = [bergen.client(m) for m in voters]
    wanted = {"E2": False, "E4": True, "E1": True, "E3": True}  # E4 amends E1
    held: list[str] = []
    for _step in range(10):
        answer = leader.post(f"{api}/{motion_id}/next").get_json()
        if answer["vote_id"] is None:
            break
        vote = _open_vote(db, meeting_id)
        label = next((k for k in wanted if k in vote.question), None)
        held.append(label)
        choice = "ja" if wanted.get(label, True) else "nei"
        for client in clients:
            cast = client.post(
                url(bergen, meeting_id, f"/voteringer/{vote.id}/stem"), data={"choice": choice}
            )
            assert cast.status_code == 302
        leader.post(url(bergen, meeting_id, f"/voteringer/{vote.id}/lukk"))
    # The votes were held in the voting order shown before voting.
    assert held == order
    final = proposer.get(f"{api}/{motion_id}").get_json()
    assert final["state"] == "adopted"
    assert final["adopted_text"] == [
        "Vi vil ha",
        "gratis og hyppig buss",
        "i hele fylket",
        "innen 2030.",
        "Fylket betaler.",
    ]
    assert {a["label"]: a["state"] for a in final["amendments"]} == {
        "E1": "adopted",
        "E2": "rejected",
        "E3": "adopted",
        "E4": "adopted",
    }
    page = proposer.get(url(bergen, meeting_id, f"/forslag/{motion_id}")).get_data(as_text=True)
    assert "data-adopted-diff" in page and "gratis og hyppig buss" in page


def _in_context(app: Flask, work):
    with app.test_request_context(), session_factory(app)() as session:
        result = work(session)
        session.commit()
        return result


def test_a_ballot_breaking_the_gender_rule_or_naming_the_wrong_number_is_refused(app, db, bergen):
    meeting_id = call(bergen)  # "parti": at least 40 % of each gender
    leader, member = bergen.client(bergen.leader), bergen.client(bergen.paid[0])
    base = url(bergen, meeting_id, "/valg")
    # Only those who manage the meeting add elections; outsiders see nothing.
    assert member.post(base, data={"kind": "board", "seats": "3"}).status_code == 403
    assert bergen.client(bergen.outsider).get(base).status_code == 404
    assert leader.post(base, data={"kind": "board", "seats": "3"}).status_code == 302
    election_id = int(db.scalar(select(func.max(elections.Election.id))))
    men = [make_member(db, "0001", first_name=f"Mann{i}") for i in range(3)]
    women = [make_member(db, "0001", first_name=f"Kvinne{i}") for i in range(2)]
    db.commit()
    election_url = f"{base}/{election_id}"
    for person, gender in [*((m, "mann") for m in men), *((w, "kvinne") for w in women)]:
        added = leader.post(
            f"{election_url}/kandidater",
            data={"member_number": person.number, "gender": gender, "consent": "ja"},
        )
        assert added.status_code == 302
    no_consent = leader.post(
        f"{election_url}/kandidater", data={"member_number": bergen.owing.number, "gender": "mann"}
    )
    assert no_consent.status_code == 400
    voters = [bergen.leader, *bergen.paid]
    _ready(bergen, meeting_id, bergen.leader, voters)
    assert member.post(f"{election_url}/apne").status_code == 403
    assert leader.post(f"{election_url}/apne").status_code == 302
    nominees = {
        n.member_number: n.id
        for n in _in_context(
            app, lambda s: elections.nominees_of(s, s.get(elections.Election, election_id))
        )
    }
    api = f"/api/v1/meetings/{meeting_id}/elections/{election_id}/ballot"

    all_men = member.post(
        f"{election_url}/stem", data={"choice": [nominees[m.number] for m in men]}
    )
    assert all_men.status_code == 400
    assert "kjønnsbalansen" in all_men.get_data(as_text=True)
    two = member.post(api, json={"choices": [nominees[men[0].number], nominees[women[0].number]]})
    assert two.status_code == 400
    assert "skal velge 3" in two.get_json()["fields"]["choices"]
    db.commit()
    assert db.scalar(select(func.count()).select_from(ElectionBallot)) == 0
    assert not db.get(ElectionElector, (election_id, 1, bergen.paid[0].number)).voted

    good = [nominees[men[0].number], nominees[men[1].number], nominees[women[0].number]]
    receipt = member.post(api, json={"choices": good}).get_json()["receipt"]
    assert len(receipt) == 19
    assert member.post(api, json={"choices": good}).status_code == 409  # once only
    for voter in (bergen.leader, bergen.paid[1], bergen.paid[2]):
        assert bergen.client(voter).post(api, json={"choices": good}).status_code == 201
    db.commit()
    # The ballot table holds no member number: only the key, round, receipt hash and choices.
    assert {c.name for c in ElectionBallot.__table__.columns} == {
        "id",
        "election_id",
        "round",
        "receipt_hash",
        "choices",
    }
    assert leader.post(f"{election_url}/lukk").status_code == 302
    page = member.get(election_url).get_data(as_text=True)
    assert "Runde 1" in page and "data-count-report" in page and "Mann0" in page
    elected = _in_context(app, lambda s: s.get(elections.Election, election_id).elected)
    assert sorted(elected) == sorted([men[0].number, men[1].number, women[0].number])
    # The minutes drafted from the record carry the election round by round and who won.
    drafted = _in_context(app, lambda s: minutes.drafted_text(s, s.get(Meeting, meeting_id)))
    assert "## Valg" in drafted and "Runde 1" in drafted
    assert "Valgt: " in drafted and "Kvinne0" in drafted.split("## Valg")[1]


def _fylke_profile(app: Flask) -> int:
    data = revised(
        PARTY,
        name="Fylkesårsmøte (delegater)",
        delegates=True,
        delegate_base=1,
        delegate_per_members=4,
    ).to_data()

    def add(session: Session) -> int:
        service.ensure_presets(session)
        row = MeetingProfile(key="fylke", version=1, data=data)
        session.add(row)
        session.flush()
        return row.id

    return _in_context(app, add)


def _elect(
    world: Bergen,
    meeting_id: int,
    manager: Member,
    kind: str,
    to_meeting: int,
    candidates: list[tuple[Member, str]],
    ballots: list[list[Member]],
    voters: list[Member],
    seats: int | None = None,
) -> list[int]:
    """Run one election through the services; returns the elected member numbers in order."""

    def run(session: Session) -> list[int]:
        meeting = session.get(Meeting, meeting_id)
        actor = session.get(Member, manager.number)
        election = elections.create(session, actor, meeting, kind, "", seats, to_meeting)
        ids = {}
        for person, gender in candidates:
            nominee = elections.nominate(
                session, actor, meeting, election, person.number, gender, True, False
            )
            ids[person.number] = nominee.id
        elections.open_ballot(session, actor, meeting, election)
        for voter, choice in zip(voters, ballots, strict=True):
            elections.cast(
                session,
                session.get(Member, voter.number),
                meeting,
                election,
                [ids[c.number] for c in choice],
            )
        elections.close_ballot(session, actor, meeting, election)
        return [election.seats, *(election.elected or [])]

    return _in_context(world.app, run)


def test_delegates_of_two_lokallag_are_the_fylkesarsmote_roll_and_a_substitute_steps_in(
    app, db, bergen
):
    fylkesleder = make_member(db, "0001", first_name="Frida", roles=["fylkesleder@F01"])
    voss = [make_member(db, "0002", first_name=f"Voss{i}") for i in range(2)]
    db.commit()
    profile_id = _fylke_profile(app)

    def call_fylke(session: Session) -> int:
        group_id = location_group_ids(session, ["F01"])["F01"]
        data = service.MeetingInput(
            title="Fylkesårsmøte 2027",
            starts_at=utcnow() + timedelta(days=40),
            place="Bergen",
            online_url="",
            profile_id=profile_id,
        )
        actor = session.get(Member, fylkesleder.number)
        return service.call_meeting(session, actor, session.get(Group, group_id), data).id

    fylke_id = _in_context(app, call_fylke)
    set_meeting(app, fylke_id, cutoff_on=utcnow().date())
    bergen_id = call(bergen)
    bergen_voters = [bergen.leader, *bergen.paid]
    _ready(bergen, bergen_id, bergen.leader, bergen_voters)
    p0, p1, p2 = bergen.paid
    # Bergen has 7 members with access: 1 + 7 // 4 = 2 delegates, one of each gender.
    seats, *elected = _elect(
        bergen,
        bergen_id,
        bergen.leader,
        "delegates",
        fylke_id,
        [(p0, "kvinne"), (p1, "mann"), (p2, "mann")],
        [[p0, p1], [p0, p1], [p0, p1], [p0, p2]],
        bergen_voters,
    )
    assert (seats, elected) == (2, [p0.number, p1.number])
    _seats, *substitutes = _elect(
        bergen,
        bergen_id,
        bergen.leader,
        "delegate_substitutes",
        fylke_id,
        [(p2, "mann"), (bergen.owing, "kvinne")],
        [[p2, bergen.owing]] * 3 + [[bergen.owing, p2]],
        bergen_voters,
        seats=2,
    )
    assert substitutes == [p2.number, bergen.owing.number]

    voss_id = _in_context(
        app,
        lambda s: (
            service.call_meeting(
                s,
                s.get(Member, bergen.voss_leader.number),
                s.get(Group, bergen.voss_group_id),
                service.MeetingInput(
                    title="Årsmøte Voss",
                    starts_at=utcnow() + timedelta(days=30),
                    place="Voss",
                    online_url="",
                    profile_id=s.get(Meeting, bergen_id).profile_id,
                ),
            ).id
        ),
    )
    voss_voters = [bergen.voss_leader, *voss]
    _ready(bergen, voss_id, bergen.voss_leader, voss_voters)
    seats, *elected = _elect(
        bergen,
        voss_id,
        bergen.voss_leader,
        "delegates",
        fylke_id,
        [(voss[0], "mann")],
        [[voss[0]]] * 3,
        voss_voters,
    )
    assert (seats, elected) == (1, [voss[0].number])  # 3 members: 1 + 3 // 4
    _elect(
        bergen,
        voss_id,
        bergen.voss_leader,
        "delegate_substitutes",
        fylke_id,
        [(voss[1], "kvinne")],
        [[voss[1]]] * 3,
        voss_voters,
        seats=1,
    )

    # The fylkesårsmøte's roll is the delegates (with the vote) and substitutes (in order).
    fylke = bergen.client(fylkesleder)
    assert (
        fylke.post(
            f"/grupper/{_group(db, fylke_id)}/arsmote/{fylke_id}/manntall/beregn"
        ).status_code
        == 302
    )
    db.commit()
    db.expire_all()
    lines = {
        e.member_number: e
        for e in db.scalars(select(RollEntry).where(RollEntry.meeting_id == fylke_id))
    }
    assert {n for n, e in lines.items() if e.eligible} == {p0.number, p1.number, voss[0].number}
    assert [lines[n].reasons[0]["order"] for n in (p2.number, bergen.owing.number)] == [3, 4]
    delegations = fylke.get(f"/api/v1/meetings/{fylke_id}/delegates").get_json()["delegations"]
    assert [d["member_number"] for d in delegations["0001"]] == [
        p0.number,
        p1.number,
        p2.number,
        bergen.owing.number,
    ]

    # A member without the right cannot withdraw someone else; the fylkesleder can.
    other = bergen.client(voss[1])
    gone = f"/grupper/{_group(db, fylke_id)}/arsmote/{fylke_id}/delegater/{p0.number}/trekk"
    assert other.post(gone).status_code == 403
    assert fylke.post(gone).status_code == 302
    db.commit()
    db.expire_all()
    assert db.get(RollEntry, (fylke_id, p0.number)).eligible is False
    assert db.get(RollEntry, (fylke_id, p2.number)).eligible is True
    logged = audit_entries(db, "meeting.delegate_withdrawn")
    assert [(e.detail["replaced_by"], e.actor_number) for e in logged] == [
        (p2.number, fylkesleder.number)
    ]


def _group(db: Session, meeting_id: int) -> int:
    db.commit()
    return db.get(Meeting, meeting_id).group_id
