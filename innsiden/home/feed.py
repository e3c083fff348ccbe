"""The stream as one member sees it: the newest entries of their groups, grouped, and each
checked with `innsiden.access` at the moment it is shown.

A page is a fixed number of statements whatever the number of groups: the member's groups
(the set-wise form of "group.read"), one UNION of a keyset seek per group, one query per
kind of subject, one for the actors' names, three to know the member's standing in every
group at once (so the per-entry `access.can` asks nothing more).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Row, Select, bindparam, or_, select, union_all
from sqlalchemy.orm import Session

from innsiden.groups.listing import prime_standings
from innsiden.groups.membership import location_unit_ids
from innsiden.groups.models import Group, GroupMembership
from innsiden.groups.permissions import readable_group_ids
from innsiden.home.models import StreamEntry
from membersync.models import Member

# Plain rows, not ORM objects: a page only reads them.
COLUMNS = (
    StreamEntry.id,
    StreamEntry.kind,
    StreamEntry.group_id,
    StreamEntry.subject_kind,
    StreamEntry.subject_id,
    StreamEntry.group_key,
    StreamEntry.actor_number,
    StreamEntry.created_at,
)
EntryRow = Row[Any]
PAGE_ROWS = 40  # rows read per page; grouped, they make fewer entries
# Kinds whose rows with the same key are shown as one entry ("3 nye svar i …").
MERGED_KINDS = frozenset({"reply", "file", "file_version", "joined"})
# The kind filter's choices (a URL word → the entry kinds it shows).
KIND_FILTERS: dict[str, tuple[str, ...]] = {
    "diskusjoner": ("thread", "reply"),
    "filer": ("file", "file_version"),
    "arrangementer": ("gathering",),
    "avstemninger": ("poll_opened", "poll_closed"),
    "medlemmer": ("joined",),
}


@dataclass(frozen=True)
class SubjectKind:
    """How to load many subjects of one kind at once, check one, and name and link it."""

    load: Callable[[Session, Collection[int]], dict[int, Any]]
    check: Callable[[Session, Member, Any], bool]
    title: Callable[[Any], str]
    url: Callable[[Any], str]


_subject_kinds: dict[str, SubjectKind] = {}


def subject_kind(name: str, kind: SubjectKind) -> None:
    """Register a subject kind ("post", "file", …; the content capability adds its own)."""
    _subject_kinds[name] = kind


@dataclass
class Item:
    """One shown entry: one or several stream rows about the same thing."""

    kind: str
    group: Group
    rows: list[EntryRow]
    subjects: list[Any]  # the rows' subjects, in the same order (newest first)
    title: str
    url: str
    actors: list[str] = field(default_factory=list)
    unread: bool = False

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def newest_id(self) -> int:
        return self.rows[0].id

    @property
    def created_at(self) -> datetime:
        return self.rows[0].created_at


@dataclass
class StreamPage:
    items: list[Item]
    next_cursor: int | None  # "Vis eldre": the rows before this id
    newest_id: int  # the newest row read (0 if none), for the unread mark


def my_groups(session: Session, member: Member) -> list[Group]:
    """The member's own groups (their lokallag and fylkeslag, interest groups they joined)
    whose content they may read now, location groups first, each list by name. The one place
    the front page asks for the groups a member may read."""
    readable = readable_group_ids(session, member)
    if not readable:
        return []
    joined = (
        select(GroupMembership.group_id)
        .where(GroupMembership.member_number == member.number)
        .scalar_subquery()
    )
    units = sorted(location_unit_ids(member))
    query = select(Group).where(
        Group.id.in_(sorted(readable)), or_(Group.unit_id.in_(units), Group.id.in_(joined))
    )
    found = session.scalars(query).unique()
    return sorted(found, key=lambda g: (not g.is_location, g.kind != "lokallag", g.name))


def stream_page(
    session: Session,
    member: Member,
    groups: Sequence[Group],
    *,
    before: int | None = None,
    kinds: Collection[str] = (),
    seen_entry_id: int | None = None,
) -> StreamPage:
    """A page of the member's stream from `groups` (already the member's readable groups,
    with their standings primed), newest first, older than `before` when given."""
    rows = _rows(session, [g.id for g in groups], before, kinds)
    by_group = {g.id: g for g in groups}
    subjects = _subjects(session, rows)
    names = _actor_names(session, rows)
    items = _grouped(session, member, rows, subjects, by_group, names)
    for item in items:
        item.unread = seen_entry_id is not None and item.newest_id > seen_entry_id
    cursor = rows[-1].id if len(rows) == PAGE_ROWS else None
    return StreamPage(items, cursor, rows[0].id if rows else 0)


def prime(session: Session, member: Member, groups: Sequence[Group]) -> None:
    """Know the member's standing in all their groups before checking entries one by one."""
    prime_standings(session, member, groups)


def _rows(
    session: Session, group_ids: Sequence[int], before: int | None, kinds: Collection[str]
) -> list[EntryRow]:
    if not group_ids:
        return []
    query = _union(len(group_ids), before is not None, bool(kinds))
    params: dict[str, Any] = {f"g{n}": group_id for n, group_id in enumerate(group_ids)}
    params.update(before=before, kinds=sorted(kinds), rows=PAGE_ROWS)
    return list(session.execute(query, params))


@lru_cache(maxsize=256)
def _union(groups: int, with_before: bool, with_kinds: bool) -> Select[Any]:
    """The page's statement for this many groups, built once (building a union of
    subqueries costs more than running it) and run with the ids as parameters."""
    parts: list[Select[Any]] = []
    for n in range(groups):
        # One index seek per group on (group_id, id): cost follows the page, not the table.
        query = select(*COLUMNS).where(StreamEntry.group_id == bindparam(f"g{n}"))
        if with_before:
            query = query.where(StreamEntry.id < bindparam("before"))
        if with_kinds:
            query = query.where(StreamEntry.kind.in_(bindparam("kinds", expanding=True)))
        seek = query.order_by(StreamEntry.id.desc()).limit(bindparam("rows")).subquery()
        parts.append(select(seek))
    union = parts[0].subquery() if groups == 1 else union_all(*parts).subquery()
    return select(union).order_by(union.c.id.desc()).limit(bindparam("rows"))


def _subjects(session: Session, rows: Sequence[EntryRow]) -> dict[tuple[str, int], Any]:
    wanted: dict[str, set[int]] = {}
    for row in rows:
        wanted.setdefault(row.subject_kind, set()).add(row.subject_id)
    found: dict[tuple[str, int], Any] = {}
    for name, ids in wanted.items():
        kind = _subject_kinds.get(name)
        if kind is None:
            continue
        for ident, subject in kind.load(session, ids).items():
            found[(name, ident)] = subject
    return found


def _actor_names(session: Session, rows: Sequence[EntryRow]) -> dict[int, str]:
    numbers = sorted({row.actor_number for row in rows if row.actor_number is not None})
    if not numbers:
        return {}
    found = session.execute(
        select(Member.number, Member.first_name, Member.last_name).where(Member.number.in_(numbers))
    )
    return {n: f"{first or ''} {last or ''}".strip() for n, first, last in found}


def _grouped(
    session: Session,
    member: Member,
    rows: Sequence[EntryRow],
    subjects: dict[tuple[str, int], Any],
    groups: dict[int, Group],
    names: dict[int, str],
) -> list[Item]:
    items: list[Item] = []
    merged: dict[str, Item] = {}
    for row in rows:
        subject = subjects.get((row.subject_kind, row.subject_id))
        group = groups.get(row.group_id)
        kind = _subject_kinds.get(row.subject_kind)
        if subject is None or group is None or kind is None:
            continue
        if not kind.check(session, member, subject):
            continue  # hidden, deleted, or no longer theirs to see: gone at once
        item = merged.get(row.group_key) if row.kind in MERGED_KINDS else None
        if item is None:
            item = Item(row.kind, group, [], [], kind.title(subject), kind.url(subject))
            items.append(item)
            if row.kind in MERGED_KINDS:
                merged[row.group_key] = item
        item.rows.append(row)
        item.subjects.append(subject)
        name = names.get(row.actor_number or 0)
        if name and name not in item.actors:
            item.actors.append(name)
    for item in items:
        # A group of replies opens at the earliest of them: read on from there.
        if item.kind == "reply":
            item.url = _subject_kinds["post"].url(item.subjects[-1])
    return items
