"""Groups in search: a "group" document per group (its name and description), findable by
exactly those who may know the group exists ("group.see"):

- location groups (lokallag, fylkeslag): every member → ORG;
- open and closed interest groups: everyone in their scope → ORG, or the scope unit's
  audience when the group belongs to one lokallag or fylkeslag;
- hidden interest groups: only their members → the group's own audience;
- proposed and declined groups are not indexed (only the proposer sees a proposal).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from innsiden import events
from innsiden.events import CONSUMER_LAG, EventCursor
from innsiden.groups.anchors import location_group_ids
from innsiden.groups.membership import place_of
from innsiden.groups.models import LOCATION_KINDS, Group
from innsiden.groups.permissions import readable_group_ids, reads_every_group
from innsiden.groups.service import LIVE_STATUSES, groups_by_id
from innsiden.jobs import job
from innsiden.search.engine import (
    ORG,
    Change,
    Delete,
    SearchDocument,
    group_audience,
    unit_audience,
)
from innsiden.search.indexer import indexes, rebuild_source
from innsiden.search.registry import register_kind, register_reach
from membersync.db import utcnow
from membersync.models import Member, SyncChange

_FINDABLE = or_(Group.kind.in_(LOCATION_KINDS), Group.status.in_(LIVE_STATUSES))


def audience_of(group: Group) -> str:
    if group.is_location:
        return ORG
    if group.visibility == "hidden":
        return group_audience(group.id)
    return unit_audience(group.scope_unit_id) if group.scope_unit_id else ORG


def _document(group: Group) -> SearchDocument:
    return SearchDocument(
        kind="group",
        id=f"group:{group.id}",
        audience=audience_of(group),
        title=group.name,
        body=group.description,
        group_id=group.id,
        created_at=group.created_at,
        url=f"/grupper/{group.id}",
    )


def _documents(session: Session, *where: Any) -> Iterator[SearchDocument]:
    rows = session.scalars(
        select(Group).where(_FINDABLE, *where).order_by(Group.id).execution_options(yield_per=500)
    )
    for group in rows:
        if group.name:
            yield _document(group)


@indexes(
    "group.created", "group.updated", "group.archived", "group.proposal_decided",
    "group.anchored",
)  # fmt: skip
def group_changes(session: Session, payload: dict[str, Any]) -> Iterator[Change]:
    group_id = int(payload["group_id"])
    found = list(_documents(session, Group.id == group_id))
    yield from found or [Delete(f"group:{group_id}")]


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count(Group.id)).where(_FINDABLE)) or 0)


@rebuild_source("groups", count=_count)
def all_groups(session: Session) -> Iterator[SearchDocument]:
    yield from _documents(session)


def unit_ids(member: Member) -> set[str]:
    """The member's lokallag and fylkeslag: events and groups open to a unit reach them."""
    return place_of(member).unit_ids()


# A group hit passes "group.see"; the same loader names the groups of the other hits.
register_kind("group", action="group.see", load_hits=groups_by_id)
register_reach(
    readable_groups=readable_group_ids, unit_ids=unit_ids, reads_every_group=reads_every_group
)


UNIT_CURSOR = "sync_change:units"  # a cursor over sync_change ids, not domain_event ids


@job("groups.follow_register_units")
def follow_register_units(session: Session) -> int:
    """A unit the register renamed or removed changes its group's name or archive state:
    record `group.updated` for those groups, so search (and anyone else following group
    events) catches up without a rebuild, whichever way the sync ran."""
    cursor = session.get(EventCursor, UNIT_CURSOR, with_for_update=True)
    if cursor is None:
        cursor = EventCursor(consumer=UNIT_CURSOR, last_event_id=None)
        session.add(cursor)
    query = select(SyncChange).where(
        SyncChange.kind.in_(("unit_renamed", "unit_removed", "unit_reparented")),
        SyncChange.created_at <= utcnow() - CONSUMER_LAG,
    )
    if cursor.last_event_id is not None:
        query = query.where(SyncChange.id > cursor.last_event_id)
    changes = session.scalars(query.order_by(SyncChange.id).limit(1000)).all()
    if not changes:
        return 0
    groups = location_group_ids(session, {c.unit_id for c in changes if c.unit_id})
    for group_id in sorted(set(groups.values())):
        events.record(session, "group.updated", group_id=group_id)
    cursor.last_event_id = changes[-1].id
    session.flush()
    return len(groups)
