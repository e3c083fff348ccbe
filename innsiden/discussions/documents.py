"""Documents attached to posts (agendas, minutes, leaflets), kept by `innsiden.files`.

A document is an ordinary file of the group's file area with the source "post:<id>", so it
follows the files capability's rules: the type decided from the content, size limit, quota,
virus scan, and downloads only through its permission-checked routes ("file.read": those
who may read the group; 404 for everyone else).

Two steps, so a refused file changes nothing: `stage` checks and stores the bytes before
the post is written (and has them deleted again unless the transaction commits), `add`
records them as files of the post once it is flushed. Pictures shown in the post itself
stay in `attachments.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from innsiden.errors import ValidationFailed
from innsiden.files import intake, pending
from innsiden.files import listing as file_listing
from innsiden.files import service as files
from innsiden.files.listing import FileRow
from innsiden.files.models import File
from innsiden.filetypes import clean_filename
from innsiden.groups.models import Group
from innsiden.storage import get_storage
from membersync.models import Member

MAX_DOCUMENTS = 10
FIELD = "vedlegg"


def source_of(post_id: int) -> str:
    return f"post:{post_id}"


def stage(
    session: Session, member: Member, group: Group, uploads: Sequence[intake.UploadLike]
) -> list[intake.Staged]:
    """Check and store the chosen documents, or none; raise ValidationFailed naming the file.

    Stored objects are deleted again if the session's transaction does not commit."""
    chosen = intake.chosen(uploads)
    if not chosen:
        return []
    if len(chosen) > MAX_DOCUMENTS:
        message = _("Du kan legge ved høyst %(max)d dokumenter.", max=MAX_DOCUMENTS)
        raise ValidationFailed(message, fields={FIELD: message})
    files.check_upload(session, member, group)
    storage = get_storage()
    staged: list[intake.Staged] = []
    for upload in chosen:
        try:
            staged.append(intake.stage(upload, storage, files.limits()))
        except ValidationFailed as error:
            intake.discard(storage, staged)
            message = f"{clean_filename(upload.filename or '')}: {error.message}"
            raise ValidationFailed(message, fields={FIELD: message}) from error
        except BaseException:
            intake.discard(storage, staged)
            raise
    pending.track(session, storage, [key for item in staged for key in item.keys])
    return staged


def add(
    session: Session, member: Member, group: Group, post_id: int, staged: list[intake.Staged]
) -> list[File]:
    """The staged documents as files of the group attached to the (flushed) post."""
    if not staged:
        return []
    return files.add_files(session, member, group, None, staged, source=source_of(post_id))


def of_posts(session: Session, post_ids: Sequence[int]) -> dict[int, list[FileRow]]:
    """post id → its live documents, for a whole page in one query.

    No check per file: a post's documents belong to its group, and whoever sees the post
    may read the group (the files' own rule)."""
    found = file_listing.attachments(session, [source_of(post_id) for post_id in post_ids])
    return {post_id: found[source_of(post_id)] for post_id in post_ids}
