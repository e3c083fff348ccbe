"""Events follow their group when the register merges lokallag (`innsiden.groups.reshape`).

Sign-ups, questions, organisers, messages and reminders are keyed by the event, so they come
along untouched; the event is marked "fra <old group>" and re-indexed under the new group.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from innsiden import events
from innsiden.gatherings.models import Gathering
from innsiden.groups.models import Group
from innsiden.groups.reshape import mark_moved, moves_with_group


@moves_with_group
def carry_gatherings(session: Session, old: Group, new: Group, origin_label: str) -> None:
    ids = list(session.scalars(select(Gathering.id).where(Gathering.group_id == old.id)))
    if not ids:
        return
    session.execute(
        update(Gathering)
        .where(Gathering.group_id == old.id)
        .values(group_id=new.id)
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    mark_moved(session, "gathering", ids, old, origin_label)
    for gathering_id in ids:
        events.record(session, "gathering.moved", gathering_id=gathering_id, group_id=new.id)
