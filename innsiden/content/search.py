"""Pages and news in search: a document per live item, readable by its place's audience
(the organisation: every member; a group: its readers). An item that is retracted,
expires or is not yet published is not in the index, so no search shows it."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden.content.models import ContentItem
from innsiden.content.text import item_url
from innsiden.sanitize import plain_text
from innsiden.search.engine import ORG, Change, Delete, Kind, SearchDocument, group_audience
from innsiden.search.indexer import indexes, rebuild_source
from innsiden.search.registry import register_kind
from membersync.models import Member


def _document(item: ContentItem, author: str) -> SearchDocument:
    body = plain_text(item.body_html)
    kind: Kind = "news" if item.kind == "news" else "page"
    return SearchDocument(
        kind=kind,
        id=f"{kind}:{item.id}",
        audience=ORG if item.group_id is None else group_audience(item.group_id),
        title=item.title,
        body=f"{item.lead} {body}".strip(),
        group_id=item.group_id,
        author_name=author,
        created_at=item.published_at or item.created_at,
        url=item_url(item.id),
    )


def _documents(session: Session, *where: Any) -> Iterator[SearchDocument]:
    rows = session.execute(
        select(ContentItem, Member.first_name, Member.last_name)
        .outerjoin(Member, Member.number == ContentItem.created_by)
        .where(ContentItem.live.is_(True), *where)
        .order_by(ContentItem.id)
        .execution_options(yield_per=500)
    )
    for item, first, last in rows:
        yield _document(item, f"{first or ''} {last or ''}".strip())


@indexes(
    "content.went_live", "content.withdrawn", "content.edited", "content.moved",
)  # fmt: skip
def item_changes(session: Session, payload: dict[str, Any]) -> Iterator[Change]:
    item_id = int(payload["item_id"])
    found = list(_documents(session, ContentItem.id == item_id))
    if found:
        yield from found
    else:
        kind = "news" if payload.get("kind") == "news" else "page"
        yield Delete(f"{kind}:{item_id}")


def load_hits(session: Session, ids: Collection[int]) -> dict[int, ContentItem]:
    """The items behind search hits, one query (the hits are then checked by "content.read")."""
    if not ids:
        return {}
    rows = session.scalars(select(ContentItem).where(ContentItem.id.in_(sorted(set(ids)))))
    return {item.id: item for item in rows}


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count(ContentItem.id)).where(ContentItem.live)) or 0)


@rebuild_source("content", count=_count)
def all_items(session: Session) -> Iterator[SearchDocument]:
    yield from _documents(session)


register_kind("page", action="content.read", load_hits=load_hits)
register_kind("news", action="content.read", load_hits=load_hits)
