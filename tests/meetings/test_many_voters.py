"""300 checked-in voters vote at once on PostgreSQL through the real service layer, each in its
own thread and session: every vote is counted once (also when a voter's second tab sends it
again), a proxy holder's two votes count only while they are checked in, and a member who has
checked out is refused. Each thread pushes the live count after its commit, as the pages do,
with the pool at its default size: a push inside the commit would starve it.

PostgreSQL only: SQLite runs one writer at a time, so there is nothing concurrent to test."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import func, select

from innsiden.db import session_factory
from innsiden.errors import Conflict
from innsiden.meetings import attendance, live, proxies, roll, voting
from innsiden.meetings.models import Meeting, MeetingVote, VoteElector
from membersync.models import Member
from tests.meetings.conftest import add_profile, call, complaints_closed, cutoff_today

PRESENT = 300
GIVERS = 20  # absent, each with an accepted proxy to one of those present
FIRST = 800_000
THREADS = 16


def _members(db) -> list[int]:
    numbers = list(range(FIRST, FIRST + PRESENT + GIVERS))
    db.execute(Member.__table__.insert(), [
        {"number": n, "first_name": "Delegat", "last_name": str(n), "email": f"d{n}@example.no",
         "lokallag_id": "0001", "status": "aktiv", "joined_on": date(2020, 1, 1),
         "paid_until": date(2026, 12, 31), "in_register": True, "access_epoch": 0}
        for n in numbers
    ])  # fmt: skip
    db.commit()
    return numbers


def test_three_hundred_voters_at_once(app, db, bergen):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has one writer at a time, nothing runs at once")
    add_profile(app, "fylke", name="Fylkesårsmøte", proxies_allowed=True, proxy_cap=1)
    numbers = _members(db)
    present, givers = numbers[:PRESENT], numbers[PRESENT:]
    holders = present[:GIVERS]
    meeting_id = call(bergen, key="fylke")
    cutoff_today(app, meeting_id)
    factory = session_factory(app)
    with app.test_request_context(), factory() as s:
        leader, meeting = s.get(Member, bergen.leader.number), s.get(Meeting, meeting_id)
        roll.compute(s, meeting, leader)
        s.commit()
        complaints_closed(app, meeting_id)
        s.expire_all()
        roll.freeze(s, leader, meeting)
        code = attendance.open_check_in(s, leader, meeting)
        for giver, holder in zip(givers, holders, strict=True):
            proxies.issue(s, s.get(Member, giver), meeting, holder)
            proxies.accept(s, s.get(Member, holder), meeting, giver)
        for n in present:  # in the room or remote: the same check-in
            attendance.check_in(s, s.get(Member, n), meeting, code)
        s.commit()
        vote_id = voting.open_vote(s, leader, meeting, "Vedtektsendring § 3", "statute").id
        # One voter leaves after the opening, one proxy holder too.
        gone, gone_holder = present[-1], holders[-1]
        attendance.check_out(s, s.get(Member, gone), meeting)
        attendance.check_out(s, s.get(Member, gone_holder), meeting)
        s.commit()

    # Every right is sent twice at the same moment (a second tab): own votes and proxies'.
    rights = [(n, None) for n in present] + list(zip(holders, givers, strict=True))
    attempts = [right for right in rights for _twice in range(2)]

    def vote(attempt: tuple[int, int | None]) -> str:
        number, for_member = attempt
        with app.test_request_context(), factory() as s:
            member, meeting = s.get(Member, number), s.get(Meeting, meeting_id)
            the_vote = s.get(MeetingVote, vote_id)
            try:
                voting.cast(s, member, meeting, the_vote, "ja" if number % 3 else "nei",
                            for_member)  # fmt: skip
            except Conflict as refused:
                s.rollback()
                return refused.message
            s.commit()
            live.push_turnout(s, the_vote)  # after the commit, with this session's connection
            return "ok"

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(vote, attempts))

    ok = outcomes.count("ok")
    expected = (PRESENT - 2) + (GIVERS - 1)  # everyone but the two who left
    assert ok == expected
    refused = [o for o in outcomes if o != "ok"]
    assert refused.count("Stemmen er allerede avgitt.") == expected
    assert refused.count("Du er sjekket ut. Sjekk inn igjen for å stemme.") == 2 * 2 + 2

    with app.test_request_context(), factory() as s:
        the_vote, meeting = s.get(MeetingVote, vote_id), s.get(Meeting, meeting_id)
        assert the_vote.electorate_size == PRESENT + GIVERS
        once = s.scalar(select(func.count()).select_from(VoteElector).where(
            VoteElector.vote_id == vote_id, VoteElector.voted.is_(True)))  # fmt: skip
        assert once == expected
        counts = voting.tally(s, the_vote)
        assert counts["voted"] == expected
        result = voting.close_vote(s, s.get(Member, bergen.leader.number), meeting, the_vote)
        s.commit()
        assert result["electorate_at_opening"] == PRESENT + GIVERS
        # The two who left, and the proxy the holder who left carried.
        assert result["electorate_at_close"] == PRESENT + GIVERS - 3
        assert result["yes"] + result["no"] == expected
