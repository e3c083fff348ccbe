"""The polls service for reading: finding polls, their state, and a member's place in them.

Writing lives beside it, one job per module: `drafting` (create, edit before the first vote,
delete, group settings), `lifecycle` (open: freeze the electorate; close; the job),
`voting` (cast and change votes), `results` (counts, quorum, ties, published ballots),
`secrecy` (keeping secret ballots unlinkable). None of them commits.

A poll's state follows the clock: "scheduled" before `opens_at`, "open" until `closes_at`,
"closed" after. The stored `opened_at` / `closed_at` say the transition has also been carried
out (electorate frozen, results final); `lifecycle.bring_up_to_date` does that on access if the
job has not run yet, so the clock alone decides whether a vote is accepted.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.errors import NotFound
from innsiden.groups.models import Group
from innsiden.polls.models import Poll, PollElector, PollSettings, PollVoter
from membersync.db import utcnow
from membersync.models import Member


def state_of(poll: Poll, now: datetime | None = None) -> str:
    """ "scheduled", "open" or "closed", by the clock (and by a close already carried out)."""
    now = now or utcnow()
    if poll.closed_at is not None or now >= poll.closes_at:
        return "closed"
    return "open" if now >= poll.opens_at else "scheduled"


def get_poll(session: Session, poll_id: int) -> Poll:
    poll = session.get(Poll, poll_id)
    if poll is None:
        raise NotFound()
    return poll


def visible_poll(session: Session, member: Member | None, poll_id: int) -> Poll:
    """The poll if the member may read it; otherwise NotFound (never a 403)."""
    poll = session.get(Poll, poll_id)
    access.require(session, member, "poll.read", poll)
    assert poll is not None  # the rule said yes
    return poll


def group_of(session: Session, poll: Poll) -> Group:
    group = session.get(Group, poll.group_id)
    if group is None:
        raise NotFound()
    return group


def is_elector(session: Session, poll: Poll, member_number: int) -> bool:
    return session.get(PollElector, (poll.id, member_number)) is not None


def has_voted(session: Session, poll: Poll, member_number: int) -> bool:
    return session.get(PollVoter, (poll.id, member_number)) is not None


def has_votes(session: Session, poll: Poll) -> bool:
    """True once anyone has voted: from then options and rules are frozen."""
    return bool(session.scalar(select(exists().where(PollVoter.poll_id == poll.id))))


def turnout(session: Session, poll: Poll) -> int:
    """How many have voted."""
    count = session.scalar(select(func.count()).where(PollVoter.poll_id == poll.id))
    return int(count or 0)


def members_may_create(session: Session, group_id: int) -> bool:
    settings = session.get(PollSettings, group_id)
    return settings is not None and settings.members_may_create


@dataclass(frozen=True)
class PollCard:
    """A poll in a listing, with the viewer's place in it (one query for the whole list)."""

    poll: Poll
    state: str
    voted_count: int
    is_elector: bool
    has_voted: bool


def polls_in_groups(
    session: Session,
    member: Member,
    group_ids: Collection[int],
    *,
    limit: int = 200,
    by_id: bool = False,
    before_id: int | None = None,
) -> list[PollCard]:
    """Polls of these groups (the caller has checked they are readable): open ones first,
    then upcoming, then closed, newest first — with turnout and the member's standing.

    `by_id` (the API's keyset pages): newest id first instead, those below `before_id`."""
    if not group_ids:
        return []
    voted = (
        select(func.count()).where(PollVoter.poll_id == Poll.id).correlate(Poll).scalar_subquery()
    )
    mine = exists().where(
        PollElector.poll_id == Poll.id, PollElector.member_number == member.number
    )
    done = exists().where(PollVoter.poll_id == Poll.id, PollVoter.member_number == member.number)
    now = utcnow()
    order = case((Poll.closes_at <= now, 2), (Poll.opens_at <= now, 0), else_=1)
    query = select(Poll, voted, mine, done).where(Poll.group_id.in_(sorted(set(group_ids))))
    if by_id:
        if before_id is not None:
            query = query.where(Poll.id < before_id)
        query = query.order_by(Poll.id.desc())
    else:
        query = query.order_by(order, Poll.closes_at.desc(), Poll.id.desc())
    rows = session.execute(query.limit(limit)).all()
    return [
        PollCard(poll, state_of(poll, now), int(count or 0), bool(elector), bool(has))
        for poll, count, elector, has in rows
    ]


def readable_polls(session: Session, member: Member, poll_ids: Collection[int]) -> list[Poll]:
    """Those of `poll_ids` the member may read (for notifications and search hits)."""
    polls = session.scalars(select(Poll).where(Poll.id.in_(sorted(set(poll_ids)))))
    return [p for p in polls if access.can(session, member, "poll.read", p)]
