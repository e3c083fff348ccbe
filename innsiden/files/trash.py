"""The trash: deleted files that group administrators can restore for 30 days, then purged.

Purging marks a file's row for good and commits that first, then deletes its stored
objects, then the rows: a restore can never bring back a file whose bytes are gone, and a
purge that fails half-way (storage down) is simply retried by the next run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, true, update
from sqlalchemy.orm import Session

from innsiden import access, audit, events
from innsiden.errors import NotFound, StorageError
from innsiden.files.listing import current_version_join, member_name
from innsiden.files.models import File, FileVersion
from innsiden.files.permissions import TRASH_DAYS, in_trash
from innsiden.groups.models import Group
from innsiden.jobs import job
from innsiden.storage import get_storage
from membersync.db import utcnow
from membersync.models import Member

log = logging.getLogger(__name__)

PURGE_BATCH = 200


@dataclass(frozen=True)
class TrashedFile:
    file: File
    size: int
    deleted_by_name: str
    purge_on: datetime


def trashed(
    session: Session,
    member: Member,
    group: Group,
    *,
    before_id: int | None = None,
    limit: int | None = None,
) -> list[TrashedFile]:
    """The group's trash, newest first (group administrators only).

    With `limit` (the API's pages), by id from the highest down, below `before_id`."""
    access.require(session, member, "group.read", group)
    access.require(session, member, "file.trash", group, visible=True)
    cutoff = utcnow() - timedelta(days=TRASH_DAYS)
    rows = session.execute(
        select(File, FileVersion.size, Member.first_name, Member.last_name)
        .join(FileVersion, current_version_join())
        .outerjoin(Member, Member.number == File.deleted_by)
        .where(
            File.group_id == group.id,
            File.deleted_at > cutoff,
            File.purge_started_at.is_(None),
            true() if before_id is None else File.id < before_id,
        )
        .order_by(*((File.id.desc(),) if limit else (File.deleted_at.desc(), File.id.desc())))
        .limit(limit)
    ).all()
    return [
        TrashedFile(
            file=file,
            size=size,
            deleted_by_name=member_name(first, last),
            purge_on=(file.deleted_at or utcnow()) + timedelta(days=TRASH_DAYS),
        )
        for file, size, first, last in rows
    ]


def restore(session: Session, member: Member, file_id: int) -> File:
    file = session.get(File, file_id)
    if file is None or not in_trash(file):
        raise NotFound()
    access.require(session, member, "group.read", file.group)
    access.require(session, member, "file.restore", file, visible=True)
    file.deleted_at = None
    file.deleted_by = None
    file.updated_at = utcnow()
    audit.record(
        session, "file.restored", actor_number=member.number, target=f"file:{file.id}",
        group_id=file.group_id, name=file.name,
    )  # fmt: skip
    events.record(session, "file.restored", file_id=file.id, group_id=file.group_id)
    return file


@job("files.purge_trash")
def purge_trash(session: Session) -> int:
    """Delete for good files in the trash for more than 30 days; returns how many."""
    now = utcnow()
    session.execute(
        update(File)
        .where(File.deleted_at < now - timedelta(days=TRASH_DAYS), File.purge_started_at.is_(None))
        .values(purge_started_at=now)
    )
    session.commit()  # marked (and no longer restorable) before any object goes
    marked = session.execute(
        select(File.id, File.group_id).where(File.purge_started_at.is_not(None)).limit(PURGE_BATCH)
    ).all()
    return sum(_purge_one(session, file_id, group_id) for file_id, group_id in marked)


def _purge_one(session: Session, file_id: int, group_id: int) -> int:
    versions = session.scalars(select(FileVersion).where(FileVersion.file_id == file_id)).all()
    storage = get_storage()
    try:
        for version in versions:
            for key in version.keys:
                storage.delete(key)
    except StorageError:
        log.warning("Purging file %s failed; the next run tries again", file_id)
        return 0
    session.execute(delete(FileVersion).where(FileVersion.file_id == file_id))
    session.execute(delete(File).where(File.id == file_id))
    events.record(session, "file.purged", file_id=file_id, group_id=group_id)
    session.commit()
    return 1
