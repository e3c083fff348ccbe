"""Check-in at the meeting: a room code shown in the room, check-out and back, and the count
present (pushed live to the meeting's room after each commit). Never commits."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden import access, events
from innsiden.errors import Conflict, ValidationFailed
from innsiden.meetings import proxies
from innsiden.meetings.models import Attendance, Meeting, RollEntry
from membersync.db import utcnow
from membersync.models import Member

# No 0/O, 1/I/L: read aloud and typed on a phone without doubt.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6


@dataclass(frozen=True)
class Count:
    present: int  # checked in now
    voters: int  # of them, with the right to vote on the roll


def open_check_in(session: Session, actor: Member, meeting: Meeting) -> str:
    """Open check-in with a new room code (a new code also ends the old one)."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    meeting.room_code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    session.flush()
    return meeting.room_code


def close_check_in(session: Session, actor: Member, meeting: Meeting) -> None:
    """No new check-ins; those present stay present."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    meeting.room_code = None
    session.flush()


def check_in(session: Session, actor: Member, meeting: Meeting, code: str) -> Attendance:
    """Check in (or back in) with the code shown in the room; a proxy I gave ends now."""
    access.require(session, actor, "meeting.take_part", meeting)
    if meeting.room_code is None:
        raise Conflict(_("Innsjekkingen er ikke åpen."))
    typed = "".join(code.split()).upper()
    if not hmac.compare_digest(typed.encode(), meeting.room_code.encode()):
        raise ValidationFailed(fields={"code": _("Feil kode. Se koden som vises i møtelokalet.")})
    row = session.get(Attendance, (meeting.id, actor.number))
    now = utcnow()
    if row is None:
        row = Attendance(meeting_id=meeting.id, member_number=actor.number, present=True,
                         first_in_at=now, changed_at=now, check_ins=1)  # fmt: skip
        session.add(row)
    elif not row.present:
        row.present, row.changed_at, row.check_ins = True, now, row.check_ins + 1
    row.remote = False  # the room code is read in the room
    session.flush()
    proxies.void_on_check_in(session, actor, meeting)
    events.record(session, "meeting.attendance", meeting_id=meeting.id)
    return row


def check_out(session: Session, actor: Member, meeting: Meeting) -> None:
    """Leave the meeting (for now): not counted present, not in votes opened meanwhile."""
    access.require(session, actor, "meeting.take_part", meeting)
    row = session.get(Attendance, (meeting.id, actor.number))
    if row is None or not row.present:
        raise Conflict(_("Du er ikke sjekket inn."))
    row.present, row.changed_at = False, utcnow()
    session.flush()
    events.record(session, "meeting.attendance", meeting_id=meeting.id)


def is_present(session: Session, meeting: Meeting, member_number: int) -> bool:
    row = session.get(Attendance, (meeting.id, member_number))
    return row is not None and row.present


def count(session: Session, meeting: Meeting) -> Count:
    present = select(Attendance.member_number).where(
        Attendance.meeting_id == meeting.id, Attendance.present.is_(True)
    )
    total = session.scalar(select(func.count()).select_from(present.subquery())) or 0
    voters = session.scalar(
        select(func.count())
        .select_from(RollEntry)
        .where(RollEntry.meeting_id == meeting.id, RollEntry.eligible.is_(True))
        .where(RollEntry.member_number.in_(present))
    )
    return Count(total, voters or 0)


def present_voters(session: Session, meeting: Meeting) -> list[int]:
    """Members checked in now who have the right to vote on the roll (a vote's electorate)."""
    query = (
        select(Attendance.member_number)
        .join(
            RollEntry,
            (RollEntry.meeting_id == Attendance.meeting_id)
            & (RollEntry.member_number == Attendance.member_number),
        )
        .where(Attendance.meeting_id == meeting.id, Attendance.present.is_(True))
        .where(RollEntry.eligible.is_(True))
    )
    return sorted(session.scalars(query))
