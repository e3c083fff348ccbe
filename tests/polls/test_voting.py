"""Who may vote and when: the frozen electorate, the clock, one vote each, changing a vote."""

from datetime import timedelta

from sqlalchemy import func, select, update

from innsiden.groups.models import GroupMembership
from innsiden.polls.models import PollBallot, PollElector, PollVoter
from membersync.db import utcnow
from membersync.models import Member
from tests.factories import make_member
from tests.groups.helpers import make_interest_group
from tests.polls.conftest import (
    client_for,
    close_now,
    create_poll,
    option_ids,
    vote,
)


def _ballots(db, poll_id):
    db.commit()
    return db.scalar(select(func.count()).where(PollBallot.poll_id == poll_id))


def test_a_member_votes_once_and_gets_a_receipt(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id)
    client = client_for(app, bergen.members[0])
    yes = option_ids(client, poll_id)[0]
    first = vote(client, poll_id, [yes])
    assert first.status_code == 201
    receipt = first.get_json()["receipt"]
    assert len(receipt) == 19 and receipt.count("-") == 3
    again = vote(client, poll_id, [yes])
    assert again.status_code == 409
    assert "allerede stemt" in again.get_json()["detail"]
    assert _ballots(db, poll_id) == 1
    shown = client.get(f"/api/v1/polls/{poll_id}").get_json()
    assert shown["me"]["has_voted"] and shown["voted_count"] == 1
    assert shown["electorate_size"] == 6  # the leader and five members


def test_a_member_who_joins_after_the_opening_cannot_vote(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id)
    newcomer = make_member(db, "0001", first_name="Ny")
    db.commit()
    client = client_for(app, newcomer)
    response = vote(client, poll_id, [option_ids(client, poll_id)[0]])
    assert response.status_code == 403
    assert "manntallet" in response.get_json()["detail"]
    page = client.get(f"/avstemninger/{poll_id}").get_data(as_text=True)
    assert "ikke med i manntallet" in page
    assert _ballots(db, poll_id) == 0


def test_a_non_member_gets_not_found(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id)
    client = client_for(app, bergen.outsider)
    assert vote(client, poll_id, [1]).status_code == 404
    assert client.get(f"/api/v1/polls/{poll_id}").status_code == 404
    assert client.get(f"/avstemninger/{poll_id}").status_code == 404
    assert _ballots(db, poll_id) == 0


def test_a_deactivated_member_cannot_vote(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id)
    member = bergen.members[1]
    client = client_for(app, member)
    yes = option_ids(client, poll_id)[0]
    db.execute(update(Member).where(Member.number == member.number).values(status="utmeldt"))
    db.commit()
    response = vote(client, poll_id, [yes])
    assert response.status_code == 401
    assert _ballots(db, poll_id) == 0
    db.commit()
    # Still in the frozen electorate, but the register's word is final.
    assert db.get(PollElector, (poll_id, member.number)) is not None


def test_leaving_the_group_after_the_opening_keeps_the_vote(app, db, bergen):
    admin = bergen.leader
    group = make_interest_group(db, "Klima", "closed", admin=admin, members=bergen.members[:2])
    db.commit()
    poll_id = create_poll(app, admin, group.id)
    leaver = bergen.members[0]
    db.execute(
        GroupMembership.__table__.delete().where(
            GroupMembership.group_id == group.id, GroupMembership.member_number == leaver.number
        )
    )
    db.commit()
    client = client_for(app, leaver)
    assert vote(client, poll_id, [option_ids(client, poll_id)[1]]).status_code == 201


def test_votes_after_the_close_and_before_the_opening_are_refused(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id)
    client = client_for(app, bergen.members[0])
    yes = option_ids(client, poll_id)[0]
    close_now(app, poll_id)
    late = vote(client, poll_id, [yes])
    assert late.status_code == 409
    assert "stengte" in late.get_json()["detail"]
    assert "ble ikke registrert" in late.get_json()["detail"]
    page = client.post(f"/avstemninger/{poll_id}/stem", data={"choice": str(yes)})
    assert page.status_code == 409
    assert "Stemmen din ble ikke registrert" in page.get_data(as_text=True)
    early_id = create_poll(
        app, bergen.leader, bergen.group_id,
        opens_at=(utcnow() + timedelta(days=1)).isoformat(),
    )  # fmt: skip
    early = vote(client, early_id, [option_ids(client, early_id)[0]])
    assert early.status_code == 409
    assert "åpner" in early.get_json()["detail"]
    assert _ballots(db, poll_id) == 0 and _ballots(db, early_id) == 0


def test_an_open_poll_vote_can_be_changed_when_allowed(app, db, bergen):
    poll_id = create_poll(
        app, bergen.leader, bergen.group_id, kind="single", secret=False, may_change=True,
        options=["Anne", "Per", "Lars"], results_shown="live",
    )  # fmt: skip
    client = client_for(app, bergen.members[0])
    anne, per, _lars = option_ids(client, poll_id)
    assert vote(client, poll_id, [anne]).get_json() == {"receipt": None, "changed": False}
    assert vote(client, poll_id, [per]).get_json()["changed"] is True
    shown = client.get(f"/api/v1/polls/{poll_id}").get_json()
    assert shown["me"]["choices"] == ["Per"]
    assert [o["count"] for o in shown["results"]["options"]] == [0, 1, 0]


def test_a_secret_vote_is_changed_only_with_its_receipt(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id, may_change=True)
    client = client_for(app, bergen.members[0])
    yes, no, _blank = option_ids(client, poll_id)
    receipt = vote(client, poll_id, [yes]).get_json()["receipt"]
    without = vote(client, poll_id, [no])
    assert without.status_code == 400
    assert "kvitteringskode" in without.get_json()["detail"]
    wrong = vote(client, poll_id, [no], receipt="AAAA-AAAA-AAAA-AAAA")
    assert wrong.status_code == 400
    changed = vote(client, poll_id, [no], receipt=receipt.lower().replace("-", " "))
    assert changed.status_code == 200 and changed.get_json()["changed"] is True
    db.commit()
    assert db.scalars(select(PollBallot.choices).where(PollBallot.poll_id == poll_id)).all() == [
        [no]
    ]
    assert db.scalar(select(func.count()).where(PollVoter.poll_id == poll_id)) == 1


def test_choices_are_checked_against_the_poll(app, db, bergen):
    poll_id = create_poll(
        app, bergen.leader, bergen.group_id, kind="multiple", max_choices=2,
        options=["A", "B", "C"],
    )  # fmt: skip
    client = client_for(app, bergen.members[0])
    a, b, c = option_ids(client, poll_id)
    assert vote(client, poll_id, [a, b, c]).status_code == 400
    assert vote(client, poll_id, []).status_code == 400
    assert vote(client, poll_id, [999_999]).status_code == 400
    assert vote(client, poll_id, [a, c]).status_code == 201
