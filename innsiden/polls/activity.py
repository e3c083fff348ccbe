"""Polls on group pages: a section on the group's front page, and open polls the member has
not voted in counted as unread on "Mine grupper"."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.groups import activity
from innsiden.polls import service
from innsiden.polls.models import Poll, PollElector, PollVoter
from membersync.db import utcnow
from membersync.models import Member

SECTION_SIZE = 3


@activity.front_page_section("polls/_group_section.html")
def _section(session: Session, member: Member, group: Any) -> dict[str, Any] | None:
    cards = service.polls_in_groups(session, member, [group.id], limit=SECTION_SIZE)
    may_create = access.can(session, member, "poll.create", group)
    if not cards and not may_create:
        return None
    return {"cards": cards, "may_create": may_create}


@activity.unread_counter
def _waiting_for_my_vote(
    session: Session, member: Member, group_ids: Collection[int]
) -> Mapping[int, int]:
    if not group_ids:
        return {}
    now = utcnow()
    voted = select(PollVoter.poll_id).where(PollVoter.member_number == member.number)
    rows = session.execute(
        select(Poll.group_id, func.count())
        .join(PollElector, PollElector.poll_id == Poll.id)
        .where(PollElector.member_number == member.number)
        .where(Poll.group_id.in_(sorted(set(group_ids))))
        .where(Poll.opens_at <= now, Poll.closes_at > now, Poll.id.not_in(voted))
        .group_by(Poll.group_id)
    )
    return {group_id: int(n) for group_id, n in rows}
