"""Files attached to an event (agenda, papers), kept in its group's file area by `innsiden.files`.

A file belongs to the group, so it follows the files capability's rule ("file.read": those
who may read the group). Members from other groups who see an event open to them see only
that there are papers for the group's members.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from innsiden import access
from innsiden.files import listing as file_listing
from innsiden.files import service as files
from innsiden.files.intake import UploadLike
from innsiden.files.listing import FileRow
from innsiden.gatherings.models import Gathering
from membersync.models import Member


@dataclass(frozen=True)
class Attached:
    readable: list[FileRow]
    hidden: int  # attached files this member may not open


def source_of(gathering: Gathering) -> str:
    return f"gathering:{gathering.id}"


def attached(session: Session, member: Member, gathering: Gathering) -> Attached:
    rows = file_listing.attachments(session, [source_of(gathering)])[source_of(gathering)]
    readable = [row for row in rows if access.can(session, member, "file.read", row.file)]
    return Attached(readable, len(rows) - len(readable))


def attach(session: Session, actor: Member, gathering: Gathering, upload: UploadLike) -> None:
    """Attach a file; the organiser must also be allowed to upload in the group."""
    access.require(session, actor, "gathering.organise", gathering, visible=True)
    files.attach(session, actor, gathering.group, upload, source=source_of(gathering))
