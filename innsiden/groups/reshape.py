"""Groups that follow the register's merges, splits and moves of units.

A merge carries the old group's content into the new group. Content belongs to the
capabilities, so each one registers, in its own module, a handler that moves its rows:

    from innsiden.groups.reshape import moves_with_group

    @moves_with_group
    def _carry_pages(session, old_group, new_group, origin_label): ...

A handler moves everything of its capability from `old_group` to `new_group` in the
caller's transaction (flush, never commit), calls `mark_moved(...)` for the items it moved
(so they show "fra Nord-Fron lokallag"), and records the domain events its search source
indexes (so the moved items are found under the new group, with its audience).

Besides the registry this module holds what pages ask of a reshaped group: where a merged
group went (`merged_into`, for redirects), where a split group's parts came from
(`reshapes_of`), and the origin of moved items (`origins`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access, audit, events
from innsiden.errors import InnsidenError, NotFound, PermissionDenied
from innsiden.groups.models import (
    Group,
    GroupFormerMember,
    GroupReshape,
    GroupSubscription,
    MovedContent,
)
from membersync.models import Member

Handler = Callable[[Session, Group, Group, str], None]
_handlers: dict[str, Handler] = {}
MAX_HOPS = 8  # a chain of merges (A into B, later B into C) is followed this far


def moves_with_group(handler: Handler) -> Handler:
    """Register a capability's handler(session, old_group, new_group, origin_label)."""
    _handlers[f"{handler.__module__}.{handler.__qualname__}"] = handler
    return handler


def handlers() -> list[Handler]:
    return list(_handlers.values())


# Moving one item by hand (a leader after a split): kind → mover(session, item_id, old_group,
# new_group, origin_label, moved_by) returning the item's title, or None if it is not in
# `old_group`; and a lister(session, group) → [(item id, title)] for the form. Capabilities
# register theirs beside their handler.
ItemMover = Callable[[Session, int, Group, Group, str, int | None], str | None]
ItemLister = Callable[[Session, Group], list[tuple[int, str]]]
_item_movers: dict[str, ItemMover] = {}
_item_listers: dict[str, ItemLister] = {}


def moves_item(kind: str, listing: ItemLister) -> Callable[[ItemMover], ItemMover]:
    def register(mover: ItemMover) -> ItemMover:
        _item_movers[kind] = mover
        _item_listers[kind] = listing
        return mover

    return register


def movable_items(session: Session, group: Group) -> dict[str, list[tuple[int, str]]]:
    """kind → the items of `group` a leader may move to one of its split parts."""
    return {kind: _item_listers[kind](session, group) for kind in sorted(_item_listers)}


def movable_kinds() -> list[str]:
    return sorted(_item_movers)


class GroupMerged(InnsidenError):
    """The group asked for was merged into another: pages redirect there (301)."""

    status = 301
    code = "group_merged"

    def __init__(self, new_group_id: int) -> None:
        super().__init__(new_group_id=new_group_id)
        self.new_group_id = new_group_id

    def default_message(self) -> str:
        return _("Gruppen er slått sammen med en annen gruppe.")


# --- what pages ask ------------------------------------------------------------------------


def merged_into(session: Session, group_id: int) -> int | None:
    """The group that `group_id` was merged into, at the end of any chain of merges."""
    found = None
    for _hop in range(MAX_HOPS):
        target = session.scalar(
            select(GroupReshape.new_group_id).where(
                GroupReshape.old_group_id == group_id, GroupReshape.kind == "merged"
            )
        )
        if target is None:
            return found
        found = group_id = target
    return found


def follow_merge(session: Session, group: Group) -> None:
    """Raise GroupMerged if `group` is an archive the register merged into another group.

    Costs a query only for archived location groups (rare): live groups pass at once."""
    if group.reshaped != "merged" or not group.archived:
        return
    target = merged_into(session, group.id)
    if target is not None:
        raise GroupMerged(target)


def reshapes_of(session: Session, group_ids: Collection[int]) -> list[GroupReshape]:
    """Every recorded merge, split and move touching these groups, newest first."""
    ids = sorted(set(group_ids))
    if not ids:
        return []
    query = (
        select(GroupReshape)
        .where(GroupReshape.old_group_id.in_(ids) | GroupReshape.new_group_id.in_(ids))
        .order_by(GroupReshape.id.desc())
    )
    return list(session.scalars(query))


def origins(session: Session, kind: str, item_ids: Iterable[int]) -> dict[int, str]:
    """item id → the name of the group it came from, for items moved between groups."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(MovedContent.item_id, MovedContent.from_name).where(
            MovedContent.item_kind == kind, MovedContent.item_id.in_(ids)
        )
    )
    return {int(item_id): name for item_id, name in rows}


def mark_moved(
    session: Session,
    kind: str,
    item_ids: Iterable[int],
    old_group: Group,
    label: str,
    moved_by: int | None = None,
) -> None:
    """Remember where these items came from; an item moved twice keeps its first origin."""
    ids = sorted(set(item_ids))
    if not ids:
        return
    known = set(origins(session, kind, ids))
    for item_id in ids:
        if item_id not in known:
            session.add(
                MovedContent(
                    item_kind=kind,
                    item_id=item_id,
                    from_group_id=old_group.id,
                    from_name=label,
                    moved_by=moved_by,
                )
            )
    session.flush()


# --- carrying out a change ----------------------------------------------------------------


def merge_groups(
    session: Session,
    old: Group,
    new: Group,
    former: Collection[int],
    *,
    change_id: int | None = None,
) -> GroupReshape:
    """Merge `old` into `new`: freeze who may still read the archive, carry every
    capability's content and the settings that do not conflict, and record it."""
    _freeze(session, old, "merged", former)
    label = old.name
    reshape = GroupReshape(
        kind="merged",
        old_group_id=old.id,
        new_group_id=new.id,
        unit_id=old.unit_id,
        sync_change_id=change_id,
        detail={"fra": old.name, "til": new.name},
    )
    session.add(reshape)
    if not new.description and old.description:
        new.description = old.description
    _carry_subscriptions(session, old, new)
    session.flush()
    for handler in handlers():
        handler(session, old, new, label)
    for group in (old, new):
        events.record(session, "group.updated", group_id=group.id)
    audit.record(
        session, "groups.merged", target=f"group:{old.id}",
        into=new.id, unit=old.unit_id, into_unit=new.unit_id, former_members=len(set(former)),
    )  # fmt: skip
    session.flush()
    return reshape


def record_split(
    session: Session,
    source: Group,
    part: Group,
    former: Collection[int] | None,
    *,
    change_id: int | None = None,
) -> GroupReshape:
    """`part` was split from `source`; when the source unit is gone (`former` given), its
    archive is readable by exactly those who were in it."""
    if former is not None and source.reshaped is None:
        _freeze(session, source, "split", former)
    reshape = GroupReshape(
        kind="split",
        old_group_id=source.id,
        new_group_id=part.id,
        unit_id=part.unit_id,
        sync_change_id=change_id,
        detail={"fra": source.name, "til": part.name},
    )
    session.add(reshape)
    for group in (source, part):
        events.record(session, "group.updated", group_id=group.id)
    audit.record(
        session, "groups.split", target=f"group:{source.id}", part=part.id, unit=part.unit_id
    )
    session.flush()
    return reshape


def record_move(
    session: Session,
    unit_id: str,
    unit_name: str,
    old_parent: Group | None,
    new_parent: Group | None,
    *,
    change_id: int | None = None,
) -> GroupReshape:
    """A lokallag moved to another fylkeslag: its members' fylkeslag group follows from the
    register at once; this records it for the leaders of both fylkeslag."""
    reshape = GroupReshape(
        kind="moved",
        old_group_id=old_parent.id if old_parent else None,
        new_group_id=new_parent.id if new_parent else None,
        unit_id=unit_id,
        sync_change_id=change_id,
        detail={
            "navn": unit_name,
            "fra": old_parent.name if old_parent else None,
            "til": new_parent.name if new_parent else None,
        },
    )
    session.add(reshape)
    audit.record(
        session, "groups.unit_moved", target=f"unit:{unit_id}",
        from_group=reshape.old_group_id, to_group=reshape.new_group_id,
    )  # fmt: skip
    session.flush()
    return reshape


def split_parts(session: Session, source: Group) -> list[Group]:
    """The groups split from `source`, in the order the register made them."""
    query = (
        select(Group)
        .join(GroupReshape, GroupReshape.new_group_id == Group.id)
        .where(GroupReshape.old_group_id == source.id, GroupReshape.kind == "split")
        .order_by(GroupReshape.id)
    )
    return list(session.scalars(query).unique())


def move_item(
    session: Session, actor: Member, kind: str, item_id: int, source: Group, target: Group
) -> str:
    """A leader moves one thread or folder from a split group's archive to one of its parts.

    Allowed to whoever may read the archive and administers the part; logged."""
    if target.id not in {g.id for g in split_parts(session, source)}:
        raise NotFound()
    access.require(session, actor, "group.read", source)
    if not access.can(session, actor, "group.administer", target):
        raise PermissionDenied()
    mover = _item_movers.get(kind)
    title = mover(session, item_id, source, target, source.name, actor.number) if mover else None
    if title is None:
        raise NotFound()
    audit.record(
        session, "groups.item_moved", actor_number=actor.number, target=f"{kind}:{item_id}",
        from_group=source.id, to_group=target.id,
    )  # fmt: skip
    session.flush()
    return title


def _freeze(session: Session, group: Group, kind: str, former: Collection[int]) -> None:
    group.reshaped = kind
    have = set(
        session.scalars(
            select(GroupFormerMember.member_number).where(GroupFormerMember.group_id == group.id)
        )
    )
    session.add_all(
        GroupFormerMember(group_id=group.id, member_number=number)
        for number in sorted(set(former) - have)
    )
    session.flush()


def _carry_subscriptions(session: Session, old: Group, new: Group) -> None:
    """A member who muted the old group keeps that choice in the new one, unless they chose
    something for the new group already."""
    chosen = set(
        session.scalars(
            select(GroupSubscription.member_number).where(GroupSubscription.group_id == new.id)
        )
    )
    rows = session.scalars(select(GroupSubscription).where(GroupSubscription.group_id == old.id))
    for row in rows:
        if row.member_number not in chosen:
            session.add(
                GroupSubscription(member_number=row.member_number, group_id=new.id, level=row.level)
            )


def describe(reshape: GroupReshape) -> dict[str, Any]:
    """A reshape as the API shows it."""
    return {
        "kind": reshape.kind,
        "old_group_id": reshape.old_group_id,
        "new_group_id": reshape.new_group_id,
        "unit_id": reshape.unit_id,
        "detail": reshape.detail,
        "at": reshape.created_at.isoformat() if reshape.created_at else None,
    }


@dataclass
class PageNotes:
    """What a group's front page tells of merges, splits and moves."""

    merged_into: Group | None = None  # this archive was merged into that group
    merged_from: list[Group] = field(default_factory=list)
    split_from: Group | None = None  # this group was split from that archive
    split_into: list[Group] = field(default_factory=list)
    moves: list[GroupReshape] = field(default_factory=list)  # for the group's leaders
    movable: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    move_targets: list[Group] = field(default_factory=list)


def page_notes(session: Session, member: Member, group: Group) -> PageNotes:
    """Where a reshaped group went or came from; one query for every other group."""
    notes = PageNotes()
    if not group.is_location:
        return notes
    for row in reshapes_of(session, [group.id]):
        old = session.get(Group, row.old_group_id) if row.old_group_id else None
        new = session.get(Group, row.new_group_id) if row.new_group_id else None
        if row.kind == "merged" and row.old_group_id == group.id:
            notes.merged_into = new
        elif row.kind == "merged" and old is not None:
            notes.merged_from.append(old)
        elif row.kind == "split" and row.new_group_id == group.id:
            notes.split_from = old
        elif row.kind == "split" and new is not None:
            notes.split_into.append(new)
        elif row.kind == "moved" and access.can(session, member, "group.administer", group):
            notes.moves.append(row)
    if notes.split_into and access.can(session, member, "group.read", group):
        notes.move_targets = [
            g for g in notes.split_into if access.can(session, member, "group.administer", g)
        ]
        if notes.move_targets:
            notes.movable = movable_items(session, group)
    return notes
