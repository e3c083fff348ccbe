"""The files service: folders, uploads, versions, renaming and moving, for pages, API and
other capabilities alike.

Reading: `readable_group`, `get_file` (404 unless "file.read"), `get_version`, `get_folder`.
Writing (flush, never commit; raise domain errors):
- `upload(session, member, group, uploads, folder=, description=, source=)` → [File];
  `attach(session, member, group, upload, source="event:12")` → File is the same for one
  file attached to something of another capability (it appears in the group's file area).
- `store_generated(session, group, name, data, mime_type, source=)` → File: a document the
  portal made itself (an årsmøte's minutes), stored in the group's file area.
- In two steps, so slow bytes never hold the database: `check_upload` (permission, folder,
  quota) → `intake.stage_all` (bytes to storage, no database) → `add_files` (rows).
  `check_new_version` → `intake.stage` → `add_version` likewise.
- `create_folder`, `rename_folder`, `delete_folder`, `rename`, `move`, `delete` (to the
  trash; restoring and purging are in `innsiden.files.trash`).
Stored objects come first and rows second; objects of rows that are never committed are
deleted again (`innsiden.files.pending`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from innsiden import access, audit, events, filetypes
from innsiden.errors import NotFound, TooLarge, ValidationFailed
from innsiden.files import intake, pending
from innsiden.files.models import File, FileVersion, Folder
from innsiden.groups import service as groups
from innsiden.groups.models import Group
from innsiden.storage import get_storage
from membersync.db import utcnow
from membersync.models import Member

FOLDER_NAME_LENGTH = 120
DESCRIPTION_LENGTH = 2000


def limits() -> intake.Limits:
    return intake.Limits.from_config(current_app.config)


def readable_group(session: Session, member: Member, group_id: int) -> Group:
    """The group, if the member may see its content; 404 otherwise."""
    group = groups.get_group(session, group_id)
    access.require(session, member, "group.read", group)
    return group


def get_file(session: Session, member: Member, file_id: int) -> File:
    file = session.get(File, file_id)
    access.require(session, member, "file.read", file)
    assert file is not None  # for the type checker: require() raised otherwise
    return file


def current_version(session: Session, file: File) -> FileVersion:
    return get_version_of(session, file, file.version_count)


def get_version_of(session: Session, file: File, number: int) -> FileVersion:
    version = session.scalar(
        select(FileVersion).where(FileVersion.file_id == file.id, FileVersion.number == number)
    )
    if version is None:
        raise NotFound()
    return version


def get_version(
    session: Session, member: Member, file_id: int, number: int | None = None
) -> tuple[File, FileVersion]:
    """A readable file and one of its versions (the current one if `number` is None)."""
    file = get_file(session, member, file_id)
    return file, get_version_of(session, file, number or file.version_count)


def get_folder(session: Session, group: Group, folder_id: int | None) -> Folder | None:
    """The group's folder `folder_id` (None: the top level); 404 for another group's."""
    if folder_id is None:
        return None
    folder = session.get(Folder, folder_id)
    if folder is None or folder.group_id != group.id:
        raise NotFound()
    return folder


def readable_folder(session: Session, member: Member, folder_id: int) -> Folder:
    """A folder of a group whose content the member may see; 404 otherwise."""
    folder = session.get(Folder, folder_id)
    if folder is None:
        raise NotFound()
    readable_group(session, member, folder.group_id)
    return folder


# Uploads ----------------------------------------------------------------------------------


def quota_used(session: Session, group_id: int) -> int:
    """Bytes the group's files use: every version of every file not in the trash."""
    used = session.scalar(
        select(func.coalesce(func.sum(FileVersion.size), 0))
        .join(File, File.id == FileVersion.file_id)
        .where(File.group_id == group_id, File.deleted_at.is_(None))
    )
    return int(used or 0)


def _check_quota(session: Session, group: Group, incoming: int) -> None:
    quota = int(current_app.config["GROUP_QUOTA_BYTES"])
    if quota_used(session, group.id) + incoming > quota:
        raise TooLarge(
            _(
                "Gruppen har brukt opp lagringsplassen sin (%(quota)s MB), så filen ble ikke "
                "lagret. Slett filer gruppen ikke trenger lenger, eller be en "
                "portaladministrator om mer plass.",
                quota=quota // (1024 * 1024),
            ),
            quota=quota,
        )


def check_upload(
    session: Session, member: Member, group: Group, folder_id: int | None = None
) -> Folder | None:
    """May the member upload here now? Returns the folder (None: the top level)."""
    access.require(session, member, "group.read", group)
    access.require(session, member, "file.upload", group, visible=True)
    folder = get_folder(session, group, folder_id)
    _check_quota(session, group, 0)
    return folder


def add_files(
    session: Session,
    member: Member,
    group: Group,
    folder_id: int | None,
    staged: Sequence[intake.Staged],
    *,
    description: str = "",
    source: str | None = None,
) -> list[File]:
    """Rows for staged uploads (their objects are deleted if this is never committed)."""
    pending.track(session, get_storage(), [key for item in staged for key in item.keys])
    folder = check_upload(session, member, group, folder_id)
    description = _description(description)
    _lock_group(session, group)
    _check_quota(session, group, sum(item.stored.size for item in staged))
    files = [
        _new_file(session, member, group, folder, item, description, source) for item in staged
    ]
    session.flush()
    for file in files:
        events.record(session, "file.created", file_id=file.id, group_id=group.id, source=source)
    return files


def upload(
    session: Session,
    member: Member,
    group: Group,
    uploads: Sequence[intake.UploadLike],
    *,
    folder_id: int | None = None,
    description: str = "",
    source: str | None = None,
) -> list[File]:
    """Check, store and record uploads in one step (holding the transaction meanwhile)."""
    chosen = intake.chosen(uploads)
    if not chosen:
        raise intake.nothing_chosen()
    check_upload(session, member, group, folder_id)
    staged = intake.stage_all(chosen, get_storage(), limits())
    return add_files(
        session, member, group, folder_id, staged, description=description, source=source
    )


def attach(
    session: Session,
    member: Member,
    group: Group,
    upload_: intake.UploadLike,
    *,
    source: str,
    folder_id: int | None = None,
    description: str = "",
) -> File:
    """Store a file attached to something else (`source`, e.g. "event:12" or "post:42").

    It is an ordinary file of the group's file area, listed by `listing.attachments`.
    Raises like `upload` (ValidationFailed, TooLarge, StorageError, NotFound/PermissionDenied).
    """
    (file,) = upload(
        session, member, group, [upload_],
        folder_id=folder_id, description=description, source=source,
    )  # fmt: skip
    return file


def store_generated(
    session: Session,
    group: Group,
    name: str,
    data: bytes,
    mime_type: str,
    *,
    source: str,
    made_for: Member | None = None,
    description: str = "",
) -> File:
    """A document the portal made itself (an årsmøte's signed minutes) as a file of the
    group's file area. The calling capability has decided it may be written; the bytes are
    ours, so they are not sniffed; they count toward the group's quota but are never refused.
    """
    storage = get_storage()
    stored = storage.save(io.BytesIO(data), content_type=mime_type)
    pending.track(session, storage, [stored.key])
    _lock_group(session, group)
    file = File(
        group_id=group.id, name=filetypes.with_extension(name, mime_type),
        description=_description(description), uploaded_by=made_for.number if made_for else None,
        source=source, version_count=1,
    )  # fmt: skip
    session.add(file)
    session.flush()
    session.add(
        FileVersion(
            file_id=file.id, number=1, name=file.name, storage_key=stored.key, size=stored.size,
            sha256=stored.sha256, mime_type=mime_type, uploaded_by=file.uploaded_by,
        )
    )  # fmt: skip
    session.flush()
    events.record(session, "file.created", file_id=file.id, group_id=group.id, source=source)
    return file


def _description(text: str) -> str:
    text = text.strip()
    if len(text) > DESCRIPTION_LENGTH:
        message = _("Beskrivelsen kan være høyst %(max)d tegn.", max=DESCRIPTION_LENGTH)
        raise ValidationFailed(message, fields={"description": message})
    return text


def _lock_group(session: Session, group: Group) -> None:
    # Uploads to one group queue here, so two at once cannot both slip under the quota
    # (PostgreSQL row lock; on SQLite the writing transaction holds the database already).
    session.execute(select(Group.id).where(Group.id == group.id).with_for_update())


def _new_file(
    session: Session,
    member: Member,
    group: Group,
    folder: Folder | None,
    staged: intake.Staged,
    description: str,
    source: str | None,
) -> File:
    file = File(
        group_id=group.id,
        folder_id=folder.id if folder else None,
        name=staged.name,
        description=description,
        uploaded_by=member.number,
        source=source,
        version_count=1,
    )
    session.add(file)
    session.flush()
    session.add(_version(file, 1, staged, member))
    return file


def _version(file: File, number: int, staged: intake.Staged, member: Member) -> FileVersion:
    thumb, preview = staged.thumb, staged.preview
    return FileVersion(
        file_id=file.id,
        number=number,
        name=staged.name,
        storage_key=staged.stored.key,
        size=staged.stored.size,
        sha256=staged.stored.sha256,
        mime_type=staged.mime_type,
        uploaded_by=member.number,
        rendition_type=staged.rendition_type,
        thumb_key=thumb.key if thumb else None,
        thumb_width=thumb.width if thumb else None,
        thumb_height=thumb.height if thumb else None,
        preview_key=preview.key if preview else None,
        preview_width=preview.width if preview else None,
        preview_height=preview.height if preview else None,
    )


# Versions ---------------------------------------------------------------------------------


def check_new_version(session: Session, member: Member, file: File) -> None:
    access.require(session, member, "file.read", file)
    access.require(session, member, "file.new_version", file, visible=True)
    _check_quota(session, file.group, 0)


def add_version(session: Session, member: Member, file: File, staged: intake.Staged) -> FileVersion:
    """The staged upload as the file's newest version; older versions are kept."""
    pending.track(session, get_storage(), staged.keys)
    check_new_version(session, member, file)
    _lock_group(session, file.group)
    _check_quota(session, file.group, staged.stored.size)
    file.version_count += 1
    file.name = filetypes.with_extension(stem(file.name), staged.mime_type)
    file.updated_at = utcnow()
    version = _version(file, file.version_count, staged, member)
    session.add(version)
    session.flush()
    events.record(
        session, "file.version_added", file_id=file.id, group_id=file.group_id,
        number=version.number,
    )  # fmt: skip
    return version


def new_version(
    session: Session, member: Member, file: File, upload_: intake.UploadLike
) -> FileVersion:
    if not upload_.filename:
        raise intake.nothing_chosen()
    check_new_version(session, member, file)
    staged = intake.stage(upload_, get_storage(), limits())
    return add_version(session, member, file, staged)


def stem(name: str) -> str:
    """The name without the extension of a type we know (the new type brings its own)."""
    stem, dot, suffix = name.rpartition(".")
    known = {ext.lstrip(".") for ext in filetypes.EXTENSIONS.values()} | {"jpeg"}
    return stem if dot and stem and suffix.lower() in known else name


# Renaming, moving, deleting ---------------------------------------------------------------


def rename(
    session: Session, member: Member, file: File, name: str, description: str | None = None
) -> None:
    """A new name (the extension follows the content's type) and, if given, description."""
    access.require(session, member, "file.read", file)
    access.require(session, member, "file.change", file, visible=True)
    if not name.strip():
        raise ValidationFailed(fields={"name": _("Filen må ha et navn.")})
    mime_type = current_version(session, file).mime_type
    file.name = filetypes.with_extension(name, mime_type)
    if description is not None:
        file.description = _description(description)
    file.updated_at = utcnow()
    events.record(session, "file.changed", file_id=file.id, group_id=file.group_id)


def move(session: Session, member: Member, file: File, folder_id: int | None) -> None:
    access.require(session, member, "file.read", file)
    access.require(session, member, "file.change", file, visible=True)
    folder = get_folder(session, file.group, folder_id)
    file.folder_id = folder.id if folder else None
    file.updated_at = utcnow()
    events.record(session, "file.changed", file_id=file.id, group_id=file.group_id)


def delete(session: Session, member: Member, file: File) -> None:
    """To the trash: group administrators can restore it for 30 days."""
    access.require(session, member, "file.read", file)
    access.require(session, member, "file.change", file, visible=True)
    file.deleted_at = utcnow()
    file.deleted_by = member.number
    audit.record(
        session, "file.deleted", actor_number=member.number, target=f"file:{file.id}",
        group_id=file.group_id, name=file.name,
    )  # fmt: skip
    events.record(session, "file.deleted", file_id=file.id, group_id=file.group_id)


# Folders ----------------------------------------------------------------------------------


def _folder_name(name: str) -> str:
    cleaned = filetypes.clean_filename(name, max_length=FOLDER_NAME_LENGTH)
    # clean_filename() says "fil" when nothing usable is left of the name.
    if cleaned == "fil" and name.strip().casefold() != "fil":
        raise ValidationFailed(fields={"name": _("Gi mappen et navn.")})
    return cleaned


def _check_unique(session: Session, group_id: int, parent_id: int | None, key: str) -> None:
    parent = Folder.parent_id.is_(None) if parent_id is None else Folder.parent_id == parent_id
    clash = session.scalar(
        select(Folder.id).where(Folder.group_id == group_id, parent, Folder.name_key == key)
    )
    if clash is not None:
        raise ValidationFailed(fields={"name": _("Det finnes alt en mappe med dette navnet her.")})


def _flush_unique(session: Session) -> None:
    # Two members naming a folder alike at the same moment: the unique index decides.
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as error:
        raise ValidationFailed(
            fields={"name": _("Det finnes alt en mappe med dette navnet her.")}
        ) from error


def create_folder(
    session: Session, member: Member, group: Group, name: str, parent_id: int | None = None
) -> Folder:
    access.require(session, member, "group.read", group)
    access.require(session, member, "file.upload", group, visible=True)
    parent = get_folder(session, group, parent_id)
    cleaned = _folder_name(name)
    _check_unique(session, group.id, parent.id if parent else None, cleaned.casefold())
    folder = Folder(
        group_id=group.id,
        parent_id=parent.id if parent else None,
        name=cleaned,
        name_key=cleaned.casefold(),
        created_by=member.number,
    )
    session.add(folder)
    _flush_unique(session)
    return folder


def rename_folder(session: Session, member: Member, folder: Folder, name: str) -> None:
    access.require(session, member, "folder.change", folder, visible=True)
    cleaned = _folder_name(name)
    if cleaned.casefold() != folder.name_key:
        _check_unique(session, folder.group_id, folder.parent_id, cleaned.casefold())
    folder.name, folder.name_key = cleaned, cleaned.casefold()
    _flush_unique(session)


def delete_folder(session: Session, member: Member, folder: Folder) -> None:
    """Delete an empty folder (files in the trash move to the top level)."""
    access.require(session, member, "folder.change", folder, visible=True)
    has_files = session.scalar(
        select(File.id).where(File.folder_id == folder.id, File.deleted_at.is_(None)).limit(1)
    )
    has_folders = session.scalar(select(Folder.id).where(Folder.parent_id == folder.id).limit(1))
    if has_files is not None or has_folders is not None:
        raise ValidationFailed(
            _("Mappen er ikke tom. Flytt eller slett det som ligger i den først.")
        )
    session.delete(folder)
    session.flush()
