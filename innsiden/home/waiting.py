""" "Venter på deg": what only this member can move on — polls to vote in, join requests
to answer, new sign-ups to events they organise. A fixed handful of queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, exists, func, select
from sqlalchemy.orm import Session, lazyload

from innsiden import access
from innsiden.gatherings.models import Gathering, GatheringOrganiser, GatheringReply
from innsiden.groups.models import Group, JoinRequest
from innsiden.polls.models import Poll, PollElector, PollVoter
from membersync.db import utcnow
from membersync.models import Member

SHOWN = 10
FIRST_VISIT_WINDOW = timedelta(days=7)  # "new sign-ups" before any visit: the last week


@dataclass
class Waiting:
    polls: list[Poll] = field(default_factory=list)
    requests: list[tuple[Group, int]] = field(default_factory=list)  # group, pending count
    signups: list[tuple[Gathering, int]] = field(default_factory=list)  # event, new sign-ups

    def __bool__(self) -> bool:
        return bool(self.polls or self.requests or self.signups)


def waiting(
    session: Session, member: Member, groups: Sequence[Group], since: datetime | None
) -> Waiting:
    return Waiting(
        polls=polls_to_vote(session, member, groups),
        requests=requests_to_answer(session, member, groups),
        signups=new_signups(session, member, since or utcnow() - FIRST_VISIT_WINDOW),
    )


def polls_to_vote(session: Session, member: Member, groups: Sequence[Group]) -> list[Poll]:
    """Open polls in the member's groups they may vote in and have not, closing first."""
    params = {"me": member.number, "groups": [g.id for g in groups], "now": utcnow()}
    rows = session.execute(_polls_statement(), params).all()
    return [poll for poll, _e in rows if access.can(session, member, "poll.vote", poll)]


@cache
def _polls_statement() -> Select[Any]:
    # Built once: building a statement costs more than running it. The elector row comes
    # along, so the "poll.vote" rule finds it in the session without a query.
    me, now = bindparam("me"), bindparam("now")
    voted = exists().where(PollVoter.poll_id == Poll.id, PollVoter.member_number == me)
    return (
        select(Poll, PollElector)
        .join(PollElector, PollElector.poll_id == Poll.id)
        .where(PollElector.member_number == me)
        .where(Poll.group_id.in_(bindparam("groups", expanding=True)))
        .where(Poll.opened_at.is_not(None), Poll.opens_at <= now, Poll.closes_at > now)
        .where(~voted)
        .order_by(Poll.closes_at, Poll.id)
        .limit(SHOWN)
        .options(lazyload(Poll.options))
    )


def requests_to_answer(
    session: Session, member: Member, groups: Sequence[Group]
) -> list[tuple[Group, int]]:
    """Closed groups the member administers with requests to join waiting."""
    mine = {g.id: g for g in groups if access.can(session, member, "group.administer", g)}
    if not mine:
        return []
    counts = session.execute(_requests_statement(), {"groups": sorted(mine)})
    return [(mine[group_id], count) for group_id, count in counts if count]


@cache
def _requests_statement() -> Select[Any]:
    return (
        select(JoinRequest.group_id, func.count())
        .where(JoinRequest.group_id.in_(bindparam("groups", expanding=True)))
        .where(JoinRequest.status == "pending")
        .group_by(JoinRequest.group_id)
    )


def new_signups(session: Session, member: Member, since: datetime) -> list[tuple[Gathering, int]]:
    """Coming events the member organises, with how many others signed up since `since`."""
    params = {"me": member.number, "since": since, "now": utcnow()}
    rows = session.execute(_signups_statement(), params).all()
    return [
        (gathering, int(n))
        for gathering, n in rows
        if access.can(session, member, "gathering.see", gathering)
    ]


@cache
def _signups_statement() -> Select[Any]:
    # From the member's own events to their replies (both by index), never the other way.
    me = bindparam("me")
    return (
        select(Gathering, func.count(GatheringReply.id))
        .join(
            GatheringOrganiser,
            (GatheringOrganiser.gathering_id == Gathering.id)
            & (GatheringOrganiser.member_number == me),
        )
        .join(GatheringReply, GatheringReply.gathering_id == Gathering.id)
        .where(GatheringReply.signed_up_at > bindparam("since"))
        .where(GatheringReply.member_number != me)
        .where(GatheringReply.status.in_(("confirmed", "waiting")))
        .where(Gathering.status == "scheduled", Gathering.ends_at >= bindparam("now"))
        .group_by(Gathering.id)
        .order_by(Gathering.starts_at)
        .limit(SHOWN)
        # No eager group join: grouping by the event's id alone is then valid SQL, and the
        # group is one of the member's, found in the session.
        .options(lazyload(Gathering.questions), lazyload(Gathering.group))
    )
