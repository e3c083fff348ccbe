"""Files in search: a document per live file (its name and description), readable by the
members of its group; deleted, trashed and purged files leave the index."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden.files.listing import member_name
from innsiden.files.models import File
from innsiden.search.engine import Change, Delete, SearchDocument, group_audience
from innsiden.search.indexer import indexes, rebuild_source
from innsiden.search.registry import register_kind
from membersync.models import Member

_LIVE = (File.deleted_at.is_(None), File.purge_started_at.is_(None))


def _document(file: File, author: str) -> SearchDocument:
    return SearchDocument(
        kind="file",
        id=f"file:{file.id}",
        audience=group_audience(file.group_id),
        title=file.name,
        body=file.description,
        group_id=file.group_id,
        author_name=author,
        created_at=file.created_at,
        url=f"/filer/{file.id}",
    )


def _with_authors(session: Session, *where: Any) -> Iterator[SearchDocument]:
    rows = session.execute(
        select(File, Member.first_name, Member.last_name)
        .outerjoin(Member, Member.number == File.uploaded_by)
        .where(*_LIVE, *where)
        .order_by(File.id)
        .execution_options(yield_per=500)
    )
    for file, first, last in rows:
        yield _document(file, member_name(first, last))


@indexes(
    "file.created", "file.changed", "file.version_added", "file.deleted", "file.restored",
    "file.purged", "file.moved",
)  # fmt: skip
def file_changes(session: Session, payload: dict[str, Any]) -> Iterator[Change]:
    file_id = int(payload["file_id"])
    found = list(_with_authors(session, File.id == file_id))
    yield from found or [Delete(f"file:{file_id}")]


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count(File.id)).where(*_LIVE)) or 0)


@rebuild_source("files", count=_count)
def all_files(session: Session) -> Iterator[SearchDocument]:
    yield from _with_authors(session)


def files_by_id(session: Session, ids: Collection[int]) -> dict[int, File]:
    """The files behind a page of hits ("file.read" turns away trashed and purged ones)."""
    rows = session.scalars(select(File).where(File.id.in_(sorted(ids))))
    return {file.id: file for file in rows.unique()}


register_kind("file", action="file.read", load_hits=files_by_id)
