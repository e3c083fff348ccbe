"""Reading content: one item for a member (404 unless "content.read"), the pages of a place,
a page's breadcrumbs and navigation, and a group's news with the news cascading from above.

Writes live beside it: `editing` (create, save, move, lead picture), `workflow`
(transitions), `versions` (diff, restore), `sharing` (Deling), `schedule` (the job).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, literal, or_, select
from sqlalchemy.orm import Session, aliased

from innsiden import access
from innsiden.content.models import ContentItem
from innsiden.content.permissions import Place, readable_clause
from innsiden.content.roles import parent_place
from innsiden.errors import NotFound
from innsiden.groups.models import Group
from membersync.models import Member

NEWS_PAGE_SIZE = 20


def get_item(session: Session, item_id: int) -> ContentItem:
    item = session.get(ContentItem, item_id)
    if item is None:
        raise NotFound()
    return item


def visible_item(session: Session, member: Member | None, item_id: int) -> ContentItem:
    """The item if the member may read it; otherwise NotFound, whether or not it exists."""
    item = session.get(ContentItem, item_id)
    access.require(session, member, "content.read", item)
    assert item is not None
    return item


def place_of_item(session: Session, item: ContentItem) -> Place:
    group = session.get(Group, item.group_id) if item.group_id is not None else None
    return Place(group)


def place_for(session: Session, member: Member, group_id: int | None) -> Place:
    """A place the member may read (404 otherwise): a group, or the organisation."""
    if group_id is None:
        return Place(None)
    group = session.get(Group, group_id)
    access.require(session, member, "group.read", group)
    return Place(group)


def top_pages(session: Session, member: Member, place: Place) -> list[ContentItem]:
    """The pages at the top of a place's tree that the member may read, in the editors' order."""
    where = (
        ContentItem.group_id.is_(None)
        if place.group is None
        else ContentItem.group_id == place.group.id
    )
    return list(
        session.scalars(
            select(ContentItem)
            .where(where, ContentItem.kind == "page", ContentItem.parent_id.is_(None))
            .where(readable_clause(session, member, _groups(place.group_id)))
            .order_by(ContentItem.position, ContentItem.id)
        )
    )


def ancestors(session: Session, item: ContentItem) -> list[ContentItem]:
    """The pages above `item`, top first (one recursive query, whatever the depth)."""
    up = (
        select(ContentItem.id, ContentItem.parent_id, literal(1).label("depth"))
        .where(ContentItem.id == item.parent_id)
        .cte("up", recursive=True)
    )
    parent = aliased(ContentItem)
    up = up.union_all(
        select(parent.id, parent.parent_id, (up.c.depth + 1).label("depth"))
        .join(up, parent.id == up.c.parent_id)
        .where(up.c.depth < 64)
    )
    rows = session.execute(
        select(ContentItem, up.c.depth)
        .join(up, up.c.id == ContentItem.id)
        .order_by(up.c.depth.desc())
    ).all()
    return [row[0] for row in rows]


@dataclass(frozen=True)
class NavEntry:
    item: ContentItem
    depth: int
    current: bool


def navigation(
    session: Session, member: Member, item: ContentItem, above: list[ContentItem]
) -> list[NavEntry]:
    """The tree as Plone shows it: the top pages, and the children of every page on the
    path down to `item` (siblings included), only what the member may read. One query."""
    path_ids = [p.id for p in above] + [item.id]
    rows = session.scalars(
        select(ContentItem)
        .where(ContentItem.kind == "page", _same_place(item))
        .where(or_(ContentItem.parent_id.is_(None), ContentItem.parent_id.in_(path_ids)))
        .where(readable_clause(session, member, _groups(item.group_id)))
        .order_by(ContentItem.position, ContentItem.id)
    ).all()
    children: dict[int | None, list[ContentItem]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    entries: list[NavEntry] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for child in children.get(parent_id, []):
            entries.append(NavEntry(child, depth, child.id == item.id))
            if child.id in path_ids:
                walk(child.id, depth + 1)

    walk(None, 0)
    return entries


def _same_place(item: ContentItem) -> ColumnElement[bool]:
    if item.group_id is None:
        return ContentItem.group_id.is_(None)
    return ContentItem.group_id == item.group_id


def children_of(session: Session, member: Member, item: ContentItem) -> list[ContentItem]:
    return list(
        session.scalars(
            select(ContentItem)
            .where(ContentItem.parent_id == item.id, ContentItem.kind == "page")
            .where(readable_clause(session, member, _groups(item.group_id)))
            .order_by(ContentItem.position, ContentItem.id)
        )
    )


def _groups(group_id: int | None) -> list[int]:
    return [] if group_id is None else [group_id]


def news_places(session: Session, place: Place) -> tuple[ColumnElement[bool], list[int]]:
    """SQL: news shown at a place — its own, and cascading news from the places above it
    (a lokallag: its fylkeslag's and the organisation's; a fylkeslag: the organisation's);
    and the groups that makes it look in."""
    if place.group is None:
        return ContentItem.group_id.is_(None), []
    above: list[ColumnElement[bool]] = [ContentItem.group_id.is_(None)]
    groups = [place.group.id]
    if place.group.is_location:
        fylke = parent_place(session, place.group)
        if fylke is not None:
            above.append(ContentItem.group_id == fylke.id)
            groups.append(fylke.id)
    clause = or_(
        ContentItem.group_id == place.group.id,
        and_(ContentItem.cascade.is_(True), or_(*above)),
    )
    return clause, groups


def news(
    session: Session,
    member: Member,
    place: Place,
    *,
    limit: int = NEWS_PAGE_SIZE,
    offset: int = 0,
    published_only: bool = False,
) -> list[ContentItem]:
    """News of a place for this member, newest first (drafts too, for their editors)."""
    where, groups = news_places(session, place)
    query = (
        select(ContentItem)
        .where(ContentItem.kind == "news", where)
        .where(readable_clause(session, member, groups))
    )
    if published_only:
        query = query.where(ContentItem.live.is_(True))
    query = query.order_by(
        ContentItem.live.asc(),
        ContentItem.published_at.desc(),
        ContentItem.id.desc(),
    )
    return list(session.scalars(query.limit(limit).offset(offset)))


def news_page(
    session: Session, member: Member, place: Place, *, before_id: int | None, limit: int
) -> list[ContentItem]:
    """The API's keyset page of a place's news the member may read: newest id first, those
    below `before_id`, up to `limit` items."""
    where, groups = news_places(session, place)
    query = select(ContentItem).where(
        ContentItem.kind == "news", where, readable_clause(session, member, groups)
    )
    if before_id is not None:
        query = query.where(ContentItem.id < before_id)
    return list(session.scalars(query.order_by(ContentItem.id.desc()).limit(limit)))


def items_by_id(session: Session, ids: Collection[int]) -> dict[int, ContentItem]:
    if not ids:
        return {}
    rows = session.scalars(select(ContentItem).where(ContentItem.id.in_(sorted(set(ids)))))
    return {row.id: row for row in rows}
