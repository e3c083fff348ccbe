"""Read models for file pages: a folder's contents, a file's versions, attachments, the
newest files of a group. Each costs a fixed few queries, however many files there are.

No permission checks here: callers have checked "group.read" (or "file.read") already, and
every file listed belongs to that one group.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from innsiden.files.models import File, FileVersion, Folder
from membersync.models import Member


@dataclass(frozen=True)
class FileRow:
    """A file with its current version and who uploaded the file."""

    file: File
    version: FileVersion
    uploader_name: str


@dataclass(frozen=True)
class VersionRow:
    version: FileVersion
    uploader_name: str


@dataclass(frozen=True)
class FolderContents:
    folder: Folder | None  # None: the top level
    path: list[Folder]  # from the top level down to `folder`
    subfolders: list[Folder]
    files: list[FileRow]
    choices: list[tuple[int, str]]  # every folder of the group as (id, "A / B"), for moving


def current_version_join() -> ColumnElement[bool]:
    return and_(FileVersion.file_id == File.id, FileVersion.number == File.version_count)


def member_name(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".strip()


_ORDERS = {
    "name": (File.name, File.id),
    "newest": (File.created_at.desc(), File.id.desc()),
    "oldest": (File.created_at, File.id),
    "id": (File.id,),  # the API's keyset order: stable while files are added and renamed
}


def file_rows(
    session: Session, *where: ColumnElement[bool], order: str = "name", limit: int | None = None
) -> list[FileRow]:
    """Live files matching `where` in one query, by name, "newest", "oldest" or "id" first."""
    query = (
        select(File, FileVersion, Member.first_name, Member.last_name)
        .join(FileVersion, current_version_join())
        .outerjoin(Member, Member.number == File.uploaded_by)
        .where(File.deleted_at.is_(None), File.purge_started_at.is_(None), *where)
        .order_by(*_ORDERS[order])
        .limit(limit)
    )
    return [
        FileRow(file, version, member_name(first, last))
        for file, version, first, last in session.execute(query)
    ]


def file_row(session: Session, file_id: int) -> FileRow | None:
    rows = file_rows(session, File.id == file_id)
    return rows[0] if rows else None


def group_folders(session: Session, group_id: int) -> list[Folder]:
    return list(
        session.scalars(select(Folder).where(Folder.group_id == group_id).order_by(Folder.name))
    )


def path_to(folder: Folder | None, by_id: dict[int, Folder]) -> list[Folder]:
    path: list[Folder] = []
    while folder is not None and len(path) < 100:  # the bound guards against a cycle
        path.insert(0, folder)
        folder = by_id.get(folder.parent_id) if folder.parent_id is not None else None
    return path


def folder_choices(folders: Iterable[Folder]) -> list[tuple[int, str]]:
    by_id = {folder.id: folder for folder in folders}
    labels = [
        (folder.id, " / ".join(f.name for f in path_to(folder, by_id))) for folder in by_id.values()
    ]
    return sorted(labels, key=lambda item: item[1].casefold())


def folder_contents(session: Session, group_id: int, folder: Folder | None) -> FolderContents:
    folders = group_folders(session, group_id)
    by_id = {f.id: f for f in folders}
    parent_id = folder.id if folder else None
    place = File.folder_id.is_(None) if folder is None else File.folder_id == folder.id
    return FolderContents(
        folder=folder,
        path=path_to(folder, by_id),
        subfolders=[f for f in folders if f.parent_id == parent_id],
        files=file_rows(session, File.group_id == group_id, place),
        choices=folder_choices(folders),
    )


def versions(session: Session, file: File) -> list[VersionRow]:
    """Every version of the file, newest first."""
    rows = session.execute(
        select(FileVersion, Member.first_name, Member.last_name)
        .outerjoin(Member, Member.number == FileVersion.uploaded_by)
        .where(FileVersion.file_id == file.id)
        .order_by(FileVersion.number.desc())
    )
    return [VersionRow(version, member_name(first, last)) for version, first, last in rows]


def attachments(session: Session, sources: Collection[str]) -> dict[str, list[FileRow]]:
    """The live files attached to each source ("post:42", …), for a whole page at once."""
    found: dict[str, list[FileRow]] = {source: [] for source in sources}
    if not sources:
        return found
    for row in file_rows(session, File.source.in_(list(sources)), order="oldest"):
        found[row.file.source or ""].append(row)
    return found


def recent(session: Session, group_id: int, limit: int = 5) -> tuple[list[FileRow], int]:
    """The group's newest files and how many live files it has."""
    total = session.scalar(
        select(func.count(File.id)).where(
            File.group_id == group_id, File.deleted_at.is_(None), File.purge_started_at.is_(None)
        )
    )
    rows = file_rows(session, File.group_id == group_id, order="newest", limit=limit)
    return rows, int(total or 0)
