"""The meeting's papers (saksdokumenter): files of the group's own file area attached to the
meeting, or to one of its agenda items. The bytes stay in the files capability and are only
ever downloaded through its permission-checked routes (`files.download`), so a paper is
exactly as visible as the file: to those who may read the group. Never commits."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access, audit
from innsiden.errors import Conflict, NotFound, ValidationFailed
from innsiden.files.models import File
from innsiden.meetings.models import AgendaItem, Meeting
from innsiden.meetings.record_models import MeetingPaper
from membersync.models import Member


def papers_of(session: Session, meeting: Meeting) -> list[tuple[MeetingPaper, File]]:
    """The meeting's papers whose files are live (not in the trash), in the order added."""
    query = (
        select(MeetingPaper, File)
        .join(File, File.id == MeetingPaper.file_id)
        .where(MeetingPaper.meeting_id == meeting.id)
        .where(File.deleted_at.is_(None), File.purge_started_at.is_(None))
        .order_by(MeetingPaper.added_at, MeetingPaper.id)
    )
    return [(p, f) for p, f in session.execute(query).unique()]


def attachable_files(session: Session, meeting: Meeting) -> list[File]:
    """Live files of the meeting's group not yet among its papers (for the leader's choice)."""
    attached = select(MeetingPaper.file_id).where(MeetingPaper.meeting_id == meeting.id)
    query = (
        select(File)
        .where(File.group_id == meeting.group_id, File.id.not_in(attached))
        .where(File.deleted_at.is_(None), File.purge_started_at.is_(None))
        .order_by(File.name, File.id)
    )
    return list(session.scalars(query).unique())


def attach(session: Session, actor: Member, meeting: Meeting, file_id: int | None,
           agenda_item_id: int | None = None) -> MeetingPaper:  # fmt: skip
    """Attach a file of the group's file area as a paper (to an agenda item if given)."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    file = session.get(File, file_id) if file_id else None
    if file is None or file.group_id != meeting.group_id or not file.live:
        raise ValidationFailed(fields={"file_id": _("Velg en fil fra gruppens filområde.")})
    access.require(session, actor, "file.read", file)
    if agenda_item_id is not None:
        item = session.get(AgendaItem, agenda_item_id)
        if item is None or item.meeting_id != meeting.id:
            raise ValidationFailed(fields={"agenda_item_id": _("Velg en sak på sakslisten.")})
    exists = session.scalar(
        select(MeetingPaper.id).where(
            MeetingPaper.meeting_id == meeting.id, MeetingPaper.file_id == file.id
        )
    )
    if exists is not None:
        raise Conflict(_("Filen er allerede et saksdokument."))
    paper = MeetingPaper(meeting_id=meeting.id, file_id=file.id, agenda_item_id=agenda_item_id,
                         added_by=actor.number)  # fmt: skip
    session.add(paper)
    session.flush()
    audit.record(session, "meeting.paper_added", actor_number=actor.number,
                 target=f"meeting:{meeting.id}", file_id=file.id)  # fmt: skip
    return paper


def detach(session: Session, actor: Member, meeting: Meeting, paper_id: int) -> None:
    """Take a paper off the meeting; the file stays in the group's file area."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    paper = session.get(MeetingPaper, paper_id)
    if paper is None or paper.meeting_id != meeting.id:
        raise NotFound()
    session.delete(paper)
    session.flush()
    audit.record(session, "meeting.paper_removed", actor_number=actor.number,
                 target=f"meeting:{meeting.id}", file_id=paper.file_id)  # fmt: skip
