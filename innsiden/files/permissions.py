"""Who may do what in a group's file area: rules registered with `innsiden.access`.

Every rule delegates to the group's own rules, so files follow the register the moment a
member moves or leaves.
- file.read (File) — see and download a file that is not in the trash: "group.read".
- file.upload (Group) — upload files and make folders: "group.post".
- file.new_version (File) — upload a new version: "group.post" of its group.
- file.change (File) — rename, move, describe, delete to the trash: "group.post", and the
  member uploaded it or moderates the group.
- file.restore (File) — put a file in the trash back: group administrators, for 30 days.
- file.trash (Group) — see the group's trash: group administrators.
- folder.change (Folder) — rename or delete a folder: "group.post", and the member made it
  or moderates the group.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from innsiden.access import can, rule
from innsiden.files.models import File, Folder
from innsiden.groups.models import Group
from membersync.db import utcnow
from membersync.models import Member

TRASH_DAYS = 30


@rule("file.read")
def _read(session: Session, member: Member, file: Any) -> bool:
    return isinstance(file, File) and file.live and can(session, member, "group.read", file.group)


@rule("file.upload")
def _upload(session: Session, member: Member, group: Any) -> bool:
    return isinstance(group, Group) and can(session, member, "group.post", group)


@rule("file.new_version")
def _new_version(session: Session, member: Member, file: Any) -> bool:
    return isinstance(file, File) and file.live and can(session, member, "group.post", file.group)


@rule("file.change")
def _change(session: Session, member: Member, file: Any) -> bool:
    if not _new_version(session, member, file):
        return False
    return file.uploaded_by == member.number or can(session, member, "group.moderate", file.group)


def in_trash(file: File) -> bool:
    """In the trash and still restorable: deleted less than 30 days ago, not being purged."""
    if file.deleted_at is None or file.purge_started_at is not None:
        return False
    return file.deleted_at >= utcnow() - timedelta(days=TRASH_DAYS)


@rule("file.restore")
def _restore(session: Session, member: Member, file: Any) -> bool:
    if not isinstance(file, File) or not in_trash(file):
        return False
    return can(session, member, "group.administer", file.group)


@rule("file.trash")
def _trash(session: Session, member: Member, group: Any) -> bool:
    return isinstance(group, Group) and can(session, member, "group.administer", group)


@rule("folder.change")
def _folder_change(session: Session, member: Member, folder: Any) -> bool:
    if not isinstance(folder, Folder):
        return False
    group = session.get(Group, folder.group_id)
    if not can(session, member, "group.post", group):
        return False
    return folder.created_by == member.number or can(session, member, "group.moderate", group)
