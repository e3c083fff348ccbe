"""Events in search: a document per event (title, description, place), findable by exactly
the audience that may see it — its group, its fylkeslag, or the whole organisation."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden.gatherings.models import Gathering
from innsiden.sanitize import plain_text
from innsiden.search.engine import (
    ORG,
    Change,
    Delete,
    SearchDocument,
    group_audience,
    unit_audience,
)
from innsiden.search.indexer import indexes, rebuild_source
from innsiden.search.registry import register_kind
from membersync.models import Member


def audience_of(gathering: Gathering) -> str:
    if gathering.audience == "organisation":
        return ORG
    if gathering.audience == "fylkeslag" and gathering.audience_unit_id:
        return unit_audience(gathering.audience_unit_id)
    return group_audience(gathering.group_id)


def _document(gathering: Gathering, author: str) -> SearchDocument:
    title = f"Avlyst: {gathering.title}" if gathering.cancelled else gathering.title
    body = "\n".join(
        part for part in (plain_text(gathering.description_html), gathering.place) if part
    )
    return SearchDocument(
        kind="event",
        id=f"event:{gathering.id}",
        audience=audience_of(gathering),
        title=title,
        body=body,
        group_id=gathering.group_id,
        author_name=author,
        created_at=gathering.created_at,
        url=f"/arrangementer/{gathering.id}",
    )


def _with_authors(session: Session, *where: Any) -> Iterator[SearchDocument]:
    rows = session.execute(
        select(Gathering, Member.first_name, Member.last_name)
        .outerjoin(Member, Member.number == Gathering.created_by)
        .where(*where)
        .order_by(Gathering.id)
        .execution_options(yield_per=500)
    )
    for gathering, first, last in rows:
        yield _document(gathering, f"{first or ''} {last or ''}".strip())


@indexes("gathering.created", "gathering.edited", "gathering.cancelled", "gathering.moved")
def gathering_changes(session: Session, payload: dict[str, Any]) -> Iterator[Change]:
    gathering_id = int(payload["gathering_id"])
    found = list(_with_authors(session, Gathering.id == gathering_id))
    yield from found or [Delete(f"event:{gathering_id}")]


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count(Gathering.id))) or 0)


@rebuild_source("gatherings", count=_count)
def all_gatherings(session: Session) -> Iterator[SearchDocument]:
    yield from _with_authors(session)


def gatherings_by_id(session: Session, ids: Collection[int]) -> dict[int, Gathering]:
    """The events behind a page of hits, checked again with "gathering.see"."""
    rows = session.scalars(select(Gathering).where(Gathering.id.in_(sorted(ids))))
    return {gathering.id: gathering for gathering in rows.unique()}


register_kind("event", action="gathering.see", load_hits=gatherings_by_id)
