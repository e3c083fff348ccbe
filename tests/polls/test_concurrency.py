"""Integrity under load: threads voting at once against the running app over HTTP."""

import json
import threading
import urllib.error
import urllib.request

from sqlalchemy import func, insert, select

from innsiden.auth.session import credential_id
from innsiden.polls.models import PollBallot, PollOption, PollVoter
from membersync.models import Member
from tests.polls.conftest import create_poll

VOTERS = 200


def _cookie(app, member) -> str:
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps({"_user_id": credential_id(member), "_fresh": True})


def _post(url: str, cookie: str, body: dict) -> int:
    request = urllib.request.Request(  # noqa: S310 - the local test server's http URL
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Cookie": f"session={cookie}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - local test server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _all_at_once(jobs) -> list[int]:
    """Run each job in its own thread, released together; their HTTP statuses."""
    start = threading.Barrier(len(jobs))
    statuses: list[int] = [0] * len(jobs)

    def run(index, job):
        start.wait()
        statuses[index] = job()

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def _first_option(db, poll_id) -> int:
    db.commit()
    return db.scalar(select(PollOption.id).where(PollOption.poll_id == poll_id).limit(1))


def _ballots(db, poll_id) -> tuple[int, int]:
    db.commit()
    voters = db.scalar(select(func.count()).where(PollVoter.poll_id == poll_id))
    ballots = db.scalar(select(func.count()).where(PollBallot.poll_id == poll_id))
    return voters, ballots


def test_200_members_voting_at_once_give_200_ballots(app, db, bergen, live_server):
    first = 700_000
    db.execute(
        insert(Member),
        [
            {"number": first + i, "first_name": "V", "last_name": str(i), "lokallag_id": "0001",
             "status": "aktiv", "email": f"v{i}@example.no"}
            for i in range(VOTERS)
        ],
    )  # fmt: skip
    db.commit()
    members = db.scalars(select(Member).where(Member.number >= first)).all()
    poll_id = create_poll(app, bergen.leader, bergen.group_id)
    yes = _first_option(db, poll_id)
    url = f"{live_server}/api/v1/polls/{poll_id}/vote"
    cookies = [_cookie(app, m) for m in members]
    statuses = _all_at_once([lambda c=c: _post(url, c, {"choices": [yes]}) for c in cookies])
    assert statuses.count(201) == VOTERS, sorted(set(statuses))
    assert _ballots(db, poll_id) == (VOTERS, VOTERS)


def test_one_member_voting_twice_at_the_same_instant_gets_one_ballot(app, db, bergen, live_server):
    poll_id = create_poll(app, bergen.leader, bergen.group_id)
    yes = _first_option(db, poll_id)
    url = f"{live_server}/api/v1/polls/{poll_id}/vote"
    cookie = _cookie(app, bergen.members[0])
    statuses = _all_at_once([lambda: _post(url, cookie, {"choices": [yes]})] * 8)
    assert sorted(statuses) == [201] + [409] * 7
    assert _ballots(db, poll_id) == (1, 1)
