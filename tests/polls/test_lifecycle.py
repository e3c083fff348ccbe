"""The job opens polls (freezing the electorate), reminds the electorate, and closes polls at
their closing time without anyone online."""

from datetime import timedelta

from sqlalchemy import select, update

from innsiden.events import DomainEvent
from innsiden.jobs import run_all
from innsiden.notifications.models import Notification
from innsiden.polls.models import Poll, PollElector
from membersync.db import utcnow
from membersync.models import Member
from tests.factories import make_member
from tests.polls.conftest import client_for, create_poll, option_ids, run_poll_job, set_times, vote


def _age_events(db) -> None:
    """Make recorded events old enough for the notifications job's safety lag."""
    db.commit()  # a fresh snapshot: SQLite refuses to write from an old one
    db.execute(update(DomainEvent).values(created_at=utcnow() - timedelta(minutes=1)))
    db.commit()


def _notifications(db, kind):
    db.commit()
    return set(db.scalars(select(Notification.recipient_number).where(Notification.kind == kind)))


def test_the_job_opens_a_poll_and_freezes_its_electorate(app, db, bergen):
    opens = (utcnow() + timedelta(hours=1)).isoformat()
    poll_id = create_poll(app, bergen.leader, bergen.group_id, opens_at=opens, electorate="aktiv")
    db.execute(
        update(Member).where(Member.number == bergen.members[0].number).values(status="restanse")
    )
    db.commit()
    assert run_poll_job(app) == 0  # not yet
    set_times(app, poll_id, opens=timedelta(seconds=-1), closes=timedelta(days=2))
    assert run_poll_job(app) == 1
    db.commit()
    poll = db.get(Poll, poll_id)
    electors = set(
        db.scalars(select(PollElector.member_number).where(PollElector.poll_id == poll_id))
    )
    expected = {bergen.leader.number} | {m.number for m in bergen.members[1:]}
    assert poll.opened_at is not None and electors == expected  # "restanse" is not "aktiv"
    assert poll.electorate_size == 5
    make_member(db, "0001", first_name="Sen")  # joins after the opening
    db.commit()
    assert run_poll_job(app) == 0
    db.commit()
    assert db.get(Poll, poll_id).electorate_size == 5


def test_the_job_closes_a_poll_without_anyone_online(app, db, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id, results_shown="after_close")
    yes = option_ids(client_for(app, bergen.members[0]), poll_id)[0]
    assert vote(client_for(app, bergen.members[0]), poll_id, [yes]).status_code == 201
    set_times(app, poll_id, opens=timedelta(days=-2), closes=timedelta(seconds=-1))
    assert run_poll_job(app) == 1
    db.commit()
    poll = db.get(Poll, poll_id)
    assert poll.closed_at == poll.closes_at  # never a finer time than the closing itself
    assert db.scalar(select(DomainEvent.id).where(DomainEvent.name == "poll.closed")) is not None
    assert run_poll_job(app) == 0  # closed once
    results = client_for(app, bergen.members[1]).get(f"/api/v1/polls/{poll_id}").get_json()
    assert results["state"] == "closed" and results["results"]["final"] is True
    assert results["results"]["options"][0]["count"] == 1


def test_a_poll_that_opened_and_closed_unwatched_still_has_its_electorate(app, db, bergen):
    poll_id = create_poll(
        app, bergen.leader, bergen.group_id, opens_at=(utcnow() + timedelta(hours=1)).isoformat()
    )
    set_times(app, poll_id, opens=timedelta(hours=-2), closes=timedelta(hours=-1))
    page = client_for(app, bergen.members[0]).get(f"/avstemninger/{poll_id}")
    assert "0 av 6 stemmeberettigede har stemt" in page.get_data(as_text=True)
    db.commit()
    poll = db.get(Poll, poll_id)
    assert poll.opened_at is not None and poll.closed_at is not None


def test_the_electorate_hears_of_the_opening_and_of_the_close_once(app, db, bergen, outbox):
    poll_id = create_poll(app, bergen.leader, bergen.group_id)
    voter = bergen.members[0]
    vote(client_for(app, voter), poll_id, [option_ids(client_for(app, voter), poll_id)[0]])
    _age_events(db)
    run_all(app)
    opened = _notifications(db, "polls.opened")
    assert voter.number not in opened and bergen.outsider.number not in opened
    assert opened == {bergen.leader.number} | {m.number for m in bergen.members[1:]}
    set_times(app, poll_id, opens=timedelta(days=-3), closes=timedelta(hours=20))
    assert run_poll_job(app) == 1
    assert run_poll_job(app) == 0  # the flag makes it once
    _age_events(db)
    run_all(app)
    assert _notifications(db, "polls.closing_soon") == opened
    db.commit()
    states = set(db.scalars(select(Notification.email_state)))
    assert states == {"sent"}  # every one e-mailed, through the notifications mechanism
    # The closing is told at once; the opening, an announcement to the whole group, in the
    # daily digest (issue 25) — once: not again as the digest's "new poll" group item.
    member = bergen.members[1].email
    [closing] = outbox.notifications(to=member)
    assert "stenger snart" in closing["Subject"]
    [digest] = outbox.digests(to=member)
    assert digest.get_body(("plain",)).get_content().count("Skal vi støtte kampanjen?") == 1
    assert not outbox.notifications(to=voter.email)  # voted: neither opening nor closing
    notification = db.scalar(select(Notification).where(Notification.kind == "polls.opened"))
    assert notification.url == f"/avstemninger/{poll_id}"
    assert "Skal vi støtte kampanjen?" in notification.title
