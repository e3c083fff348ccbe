"""Polls follow their group when the register merges lokallag (`innsiden.groups.reshape`).

An open poll keeps its frozen electorate (`PollElector`, keyed by the poll): those who could
vote still can, and nobody else; ballots and results are untouched. The group's poll
setting comes along where the new group has none of its own.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from innsiden.groups.models import Group
from innsiden.groups.reshape import mark_moved, moves_with_group
from innsiden.polls.models import Poll, PollSettings


@moves_with_group
def carry_polls(session: Session, old: Group, new: Group, origin_label: str) -> None:
    settings = session.get(PollSettings, old.id)
    if settings is not None and session.get(PollSettings, new.id) is None:
        session.add(PollSettings(group_id=new.id, members_may_create=settings.members_may_create))
    ids = list(session.scalars(select(Poll.id).where(Poll.group_id == old.id)))
    if not ids:
        session.flush()
        return
    session.execute(
        update(Poll)
        .where(Poll.group_id == old.id)
        .values(group_id=new.id)
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    mark_moved(session, "poll", ids, old, origin_label)
