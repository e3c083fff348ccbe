"""Folders and files follow their group when the register merges lokallag, and a leader may
move one folder from a split group's archive to a new group (`innsiden.groups.reshape`).

A merged group's file area arrives as one folder named after the old group (so two groups'
"Referater" never clash); versions, trash and authors stay as they were. Moved files are
marked "fra <old group>" and re-indexed under the new group's audience.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from innsiden import events
from innsiden.files.models import File, Folder
from innsiden.groups.models import Group
from innsiden.groups.reshape import mark_moved, moves_item, moves_with_group

NAME_LENGTH = 120  # Folder.name's column


@moves_with_group
def carry_files(session: Session, old: Group, new: Group, origin_label: str) -> None:
    folders = list(session.scalars(select(Folder.id).where(Folder.group_id == old.id)))
    files = list(session.scalars(select(File.id).where(File.group_id == old.id)))
    if not folders and not files:
        return
    home = Folder(group_id=new.id, parent_id=None, **_free_name(session, new, origin_label))
    session.add(home)
    session.flush()
    # The old area's top level goes into the new folder; everything else keeps its place.
    session.execute(
        update(Folder)
        .where(Folder.group_id == old.id, Folder.parent_id.is_(None))
        .values(parent_id=home.id)
        .execution_options(synchronize_session="fetch")
    )
    session.execute(
        update(File)
        .where(File.group_id == old.id, File.folder_id.is_(None))
        .values(folder_id=home.id)
        .execution_options(synchronize_session="fetch")
    )
    _regroup(session, folders, files, old, new, origin_label, None)
    mark_moved(session, "folder", [home.id], old, origin_label)


def _folders_in(session: Session, group: Group) -> list[tuple[int, str]]:
    query = (
        select(Folder.id, Folder.name)
        .where(Folder.group_id == group.id, Folder.parent_id.is_(None))
        .order_by(Folder.name_key)
    )
    return [(int(i), str(n)) for i, n in session.execute(query)]


@moves_item("folder", listing=_folders_in)
def move_folder(
    session: Session, folder_id: int, old: Group, new: Group, label: str, moved_by: int | None
) -> str | None:
    folder = session.get(Folder, folder_id)
    if folder is None or folder.group_id != old.id:
        return None
    folders = _subtree(session, folder)
    files = list(session.scalars(select(File.id).where(File.folder_id.in_(folders))))
    name = folder.name
    # At the top of the new group's area, under a name free there.
    free = _free_name(session, new, name)
    folder.group_id, folder.parent_id = new.id, None
    folder.name, folder.name_key = free["name"], free["name_key"]
    session.flush()
    _regroup(session, folders, files, old, new, label, moved_by)
    mark_moved(session, "folder", [folder_id], old, label, moved_by)
    return name


def _regroup(
    session: Session,
    folders: Collection[int],
    files: Collection[int],
    old: Group,
    new: Group,
    label: str,
    moved_by: int | None,
) -> None:
    for model, ids in ((Folder, folders), (File, files)):
        if ids:
            session.execute(
                update(model)
                .where(model.group_id == old.id, model.id.in_(sorted(ids)))
                .values(group_id=new.id)
                .execution_options(synchronize_session="fetch")
            )
    session.flush()
    mark_moved(session, "file", files, old, label, moved_by)
    for file_id in sorted(files):
        events.record(session, "file.moved", file_id=file_id, group_id=new.id)


def _subtree(session: Session, folder: Folder) -> list[int]:
    found, frontier = [folder.id], [folder.id]
    while frontier:
        frontier = list(session.scalars(select(Folder.id).where(Folder.parent_id.in_(frontier))))
        found += frontier
    return found


def _free_name(session: Session, group: Group, wanted: str) -> dict[str, str]:
    """`wanted`, or "wanted (2)", … : a name no top-level folder of `group` has."""
    taken = set(
        session.scalars(
            select(Folder.name_key).where(Folder.group_id == group.id, Folder.parent_id.is_(None))
        )
    )
    base = wanted.strip()[: NAME_LENGTH - 6] or "Mappe"
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        name = f"{base} ({n})"
    return {"name": name, "name_key": name.casefold()}
