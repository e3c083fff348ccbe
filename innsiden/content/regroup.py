"""Pages and news follow their group when the register merges lokallag
(`innsiden.groups.reshape`): the old group's page tree and news move whole, with their
versions and history, marked "fra <old group>" and re-indexed under the new group."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from innsiden import events
from innsiden.content.models import ContentItem
from innsiden.groups.models import Group
from innsiden.groups.reshape import mark_moved, moves_with_group


@moves_with_group
def carry_content(session: Session, old: Group, new: Group, origin_label: str) -> None:
    """Move every page and news item; a page's parent moves with it, so trees stay whole.
    Hand-given roles ("Deling") stay with the old group: roles follow people, not places."""
    rows = session.execute(
        select(ContentItem.id, ContentItem.kind).where(ContentItem.group_id == old.id)
    ).all()
    if not rows:
        return
    ids = sorted(int(item_id) for item_id, _kind in rows)
    session.execute(
        update(ContentItem)
        .where(ContentItem.group_id == old.id)
        .values(group_id=new.id)
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    mark_moved(session, "content", ids, old, origin_label)
    for item_id, kind in rows:
        events.record(session, "content.moved", item_id=int(item_id), kind=kind)
    session.flush()
