"""Following the register's merges, splits and moves of units into the groups.

membersync records each in the run's own transaction as a `sync_change` row: "unit_merged"
({"til": target}), "unit_split" ({"fra": source}) and "unit_reparented" ({"fra", "til"}: a
move to another fylkeslag). This job reads them with a cursor of its own (the `event_cursor`
row CURSOR, over sync_change ids, as `moves.py` and `search.py` do) and carries each out in
the groups (`reshape.py`): whichever way the sync ran (cron, command line, webhook).

Who was in a merged or split group is read from the same run's change records (the members
it moved away from the unit, the leaders whose positions there ended) together with anyone
still in the group: that list is frozen as the archive's readers.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.events import CONSUMER_LAG, EventCursor
from innsiden.groups import reshape
from innsiden.groups.anchors import location_group_ids
from innsiden.groups.models import Group
from innsiden.groups.service import group_member_numbers
from innsiden.jobs import job
from membersync.db import utcnow
from membersync.models import OrgUnit, SyncChange

CURSOR = "sync_change:reshape"  # a cursor over sync_change ids, not domain_event ids
KINDS = ("unit_merged", "unit_split", "unit_reparented")
BATCH = 200


@job("groups.follow_reshapes")
def follow_reshapes(session: Session) -> int:
    cursor = session.get(EventCursor, CURSOR, with_for_update=True)
    if cursor is None:
        cursor = EventCursor(consumer=CURSOR, last_event_id=None)
        session.add(cursor)
    query = select(SyncChange).where(
        SyncChange.kind.in_(KINDS), SyncChange.created_at <= utcnow() - CONSUMER_LAG
    )
    if cursor.last_event_id is not None:
        query = query.where(SyncChange.id > cursor.last_event_id)
    changes = session.scalars(query.order_by(SyncChange.id).limit(BATCH)).all()
    done = 0
    for change in changes:
        done += _carry_out(session, change)
    if changes:
        cursor.last_event_id = changes[-1].id
    session.flush()
    return done


def _carry_out(session: Session, change: SyncChange) -> int:
    unit_id = change.unit_id or ""
    if change.kind == "unit_merged":
        return _merge(session, change, unit_id, str(change.detail.get("til") or ""))
    if change.kind == "unit_split":
        return _split(session, change, str(change.detail.get("fra") or ""), unit_id)
    return _move(session, change, unit_id)


def _groups(session: Session, *unit_ids: str) -> list[Group | None]:
    ids = location_group_ids(session, [u for u in unit_ids if u])
    return [session.get(Group, ids[u]) if u in ids else None for u in unit_ids]


def _merge(session: Session, change: SyncChange, old_unit: str, new_unit: str) -> int:
    old, new = _groups(session, old_unit, new_unit)
    if old is None or new is None or old.reshaped == "merged" or old.id == new.id:
        return 0
    former = _former_members(session, change.run_id, old)
    reshape.merge_groups(session, old, new, former, change_id=change.id)
    return 1


def _split(session: Session, change: SyncChange, source_unit: str, part_unit: str) -> int:
    source, part = _groups(session, source_unit, part_unit)
    if source is None or part is None:
        return 0
    unit = session.get(OrgUnit, source_unit)
    gone = unit is not None and unit.removed_at is not None
    former = _former_members(session, change.run_id, source) if gone else None
    reshape.record_split(session, source, part, former, change_id=change.id)
    return 1


def _move(session: Session, change: SyncChange, unit_id: str) -> int:
    unit = session.get(OrgUnit, unit_id)
    if unit is None or unit.type != "lokallag":
        return 0
    old_parent, new_parent = _groups(
        session, str(change.detail.get("fra") or ""), str(change.detail.get("til") or "")
    )
    if old_parent is None and new_parent is None:
        return 0
    reshape.record_move(session, unit_id, unit.name, old_parent, new_parent, change_id=change.id)
    return 1


def _former_members(session: Session, run_id: int, group: Group) -> set[int]:
    """Who was in `group` just before the run: those it moved away from the unit, those whose
    positions at the unit it ended, and whoever is in the group still."""
    unit_id = group.unit_id or ""
    rows = session.execute(
        select(SyncChange.kind, SyncChange.member_number, SyncChange.detail).where(
            SyncChange.run_id == run_id,
            SyncChange.kind.in_(("moved", "positions_changed")),
            SyncChange.member_number.is_not(None),
        )
    )
    former = set(group_member_numbers(session, group))
    reparented = _units_moved_from(session, run_id, unit_id)
    for kind, number, detail in rows:
        moved_away = kind == "moved" and detail.get("fra") in {unit_id, *reparented}
        ended = kind == "positions_changed" and any(
            str(p).endswith(f"@{unit_id}") for p in detail.get("fjernet", [])
        )
        if moved_away or ended:
            former.add(int(number))
    if reparented:  # a fylkeslag: the members of the lokallag that moved out from under it
        former |= group_member_numbers_of_units(session, reparented)
    return former


def _units_moved_from(session: Session, run_id: int, unit_id: str) -> set[str]:
    rows = session.execute(
        select(SyncChange.unit_id, SyncChange.detail).where(
            SyncChange.run_id == run_id, SyncChange.kind == "unit_reparented"
        )
    )
    return {str(u) for u, detail in rows if u and detail.get("fra") == unit_id}


def group_member_numbers_of_units(session: Session, unit_ids: set[str]) -> set[int]:
    numbers: set[int] = set()
    for group in _groups(session, *sorted(unit_ids)):
        if group is not None:
            numbers |= group_member_numbers(session, group)
    return numbers
