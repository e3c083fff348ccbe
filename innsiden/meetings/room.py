"""The meeting room: what the projector shows, the QR code of the check-in, check-in by that
code's link, and check-in from afar with a one-time code. Never commits.

The projector shows figures and the question, never names. Remote check-in is for meetings
with an online address: a member on the roll asks for a one-time code sent to their own
address in the register (the login codes of `innsiden.auth.service`, bound to this meeting
and member as the minutes' signing codes are bound to a text and a signer), and is counted
present as "digitalt".
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from flask import current_app, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden import access, events, realtime
from innsiden.auth import service as auth
from innsiden.auth.identifiers import Identifier
from innsiden.errors import Conflict, ValidationFailed
from innsiden.mail import Mail, Sms, send_mail, send_sms
from innsiden.meetings import attendance, paper_votes, roll, service, voting
from innsiden.meetings.models import AgendaItem, Attendance, Meeting, MeetingVote
from innsiden.meetings.room_models import MeetingScreen, PaperVote
from membersync.db import utcnow
from membersync.models import Member


@dataclass(frozen=True)
class Split:
    in_room: int
    remote: int


def split_count(session: Session, meeting: Meeting) -> Split:
    """Those present now, in the room and from afar."""
    query = (
        select(Attendance.remote, func.count())
        .where(Attendance.meeting_id == meeting.id, Attendance.present.is_(True))
        .group_by(Attendance.remote)
    )
    counts = {bool(remote): int(n) for remote, n in session.execute(query)}
    return Split(counts.get(False, 0), counts.get(True, 0))


# --- The projector ------------------------------------------------------------------------


@dataclass(frozen=True)
class Screen:
    meeting: Meeting
    item_title: str | None
    count: attendance.Count
    split: Split
    open_vote: MeetingVote | None
    turnout: int  # votes cast in the open vote
    paper: PaperVote | None  # a vote on paper being counted
    last_closed: MeetingVote | None


def screen(session: Session, actor: Member, meeting: Meeting) -> Screen:
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    votes = voting.votes_of(session, meeting)
    open_votes = [v for v in votes if v.state == "open"]
    closed = [v for v in votes if v.state == "closed"]
    open_vote = open_votes[-1] if open_votes else None
    counting = paper_votes.counting(session, meeting)
    return Screen(
        meeting=meeting, item_title=current_item_title(session, meeting),
        count=attendance.count(session, meeting), split=split_count(session, meeting),
        open_vote=open_vote,
        turnout=voting.tally(session, open_vote)["voted"] if open_vote else 0,
        paper=counting[-1] if counting else None,
        last_closed=max(closed, key=lambda v: v.closed_at or utcnow()) if closed else None,
    )  # fmt: skip


def current_item(session: Session, meeting: Meeting) -> AgendaItem | None:
    row = session.get(MeetingScreen, meeting.id)
    if row is None or row.agenda_item_id is None:
        return None
    return session.get(AgendaItem, row.agenda_item_id)


def current_item_title(session: Session, meeting: Meeting) -> str | None:
    item = current_item(session, meeting)
    if item is None:
        return None
    title = service.item_title(item, service.profile_of(session, meeting))
    return f"{item.position}. {title}"


def show_item(session: Session, actor: Member, meeting: Meeting, item_id: int | None) -> None:
    """Put an agenda item (or none) on the projector."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    item = session.get(AgendaItem, item_id) if item_id is not None else None
    if item_id is not None and (item is None or item.meeting_id != meeting.id):
        raise ValidationFailed(fields={"item": _("Velg en sak på sakslisten.")})
    row = session.get(MeetingScreen, meeting.id)
    if row is None:
        row = MeetingScreen(meeting_id=meeting.id)
        session.add(row)
    row.agenda_item_id, row.changed_at = item_id, utcnow()
    session.flush()
    events.record(session, "meeting.screen", meeting_id=meeting.id)


def screen_room(meeting_id: int) -> str:
    return f"meeting-screen:{meeting_id}"


@events.listen
def _on_screen(event: events.Event) -> None:
    """Tell the projector to fetch its figures again (the agenda item, a paper vote; turnout
    comes by the meeting room's `meeting:votes`). Runs inside
    the commit, so it never opens a session of its own: the projector reads the figures with
    its next request."""
    if event.name == "meeting.screen":
        meeting_id = int(event.payload["meeting_id"])
        realtime.emit_to_room(screen_room(meeting_id), "meeting:screen", {"meeting_id": meeting_id})


# --- QR code of the check-in --------------------------------------------------------------


def check_in_url(meeting: Meeting) -> str | None:
    """The link the QR code holds: the check-in page with the room code in it."""
    if meeting.room_code is None:
        return None
    return url_for("meetings.qr_check_in", group_id=meeting.group_id, meeting_id=meeting.id,
                   code=meeting.room_code, _external=True)  # fmt: skip


def qr_svg(link: str, title: str) -> Markup:
    """An inline SVG QR code drawn on the server (no external host, no script)."""
    code = segno.make(link, error="m")
    svg = code.svg_inline(scale=8, border=2, title=title, dark="#000", light="#fff",
                          svgclass="qr-code", lineclass=None, omitsize=True)  # fmt: skip
    return Markup(svg)  # noqa: S704 - segno's own markup; the title is escaped by segno


# --- Remote check-in with a one-time code -------------------------------------------------


def _device(meeting: Meeting, member: Member) -> str:
    """What the one-time code is bound to: this meeting's remote check-in, this member."""
    return f"meeting-remote:{meeting.id}:{member.number}"


def may_check_in_remotely(session: Session, meeting: Meeting, member_number: int) -> bool:
    return (
        bool(meeting.online_url)
        and meeting.room_code is not None
        and roll.entry_of(session, meeting, member_number) is not None
    )


def _remote_allowed(session: Session, actor: Member, meeting: Meeting) -> None:
    access.require(session, actor, "meeting.take_part", meeting)
    if not meeting.online_url:
        raise Conflict(_("Dette møtet har ingen digital deltakelse."))
    if meeting.room_code is None:
        raise Conflict(_("Innsjekkingen er ikke åpen."))
    if roll.entry_of(session, meeting, actor.number) is None:
        raise Conflict(_("Du står ikke i manntallet for dette møtet."))


def request_remote_code(session: Session, actor: Member, meeting: Meeting
                        ) -> auth.CodeToSend | None:  # fmt: skip
    """A one-time code for checking in from afar, sent to the member's own address in the
    register (the caller sends it after the commit)."""
    _remote_allowed(session, actor, meeting)
    return auth.request_code(
        session, Identifier("number", str(actor.number)), device=_device(meeting, actor),
        secret=current_app.config["SECRET_KEY"],
    )  # fmt: skip


def deliver_remote_code(meeting: Meeting, message: auth.CodeToSend) -> None:
    minutes_left = int(auth.CODE_LIFETIME.total_seconds() // 60)
    text = _("%(code)s er koden din for å sjekke inn digitalt på %(title)s. "
             "Den gjelder i %(minutes)s minutter.", code=message.code, title=meeting.title,
             minutes=minutes_left)  # fmt: skip
    if message.channel == "sms":
        send_sms(Sms(to=message.to, text=text))
    else:
        send_mail(Mail(to=message.to, subject=_("Kode for å sjekke inn digitalt"), text=text))


def check_in_remote(session: Session, actor: Member, meeting: Meeting, code: str) -> bool:
    """Check in from afar with the one-time code; False for a wrong or expired code (counted
    as an attempt: the caller commits either way)."""
    _remote_allowed(session, actor, meeting)
    verified = auth.verify_code(session, device=_device(meeting, actor), code=code,
                                secret=current_app.config["SECRET_KEY"])  # fmt: skip
    if verified is None or actor.number not in {m.number for m in verified.members}:
        return False
    row = session.get(Attendance, (meeting.id, actor.number))
    now = utcnow()
    if row is None:
        row = Attendance(meeting_id=meeting.id, member_number=actor.number, present=True,
                         first_in_at=now, changed_at=now, check_ins=1, remote=True)  # fmt: skip
        session.add(row)
    else:
        if not row.present:
            row.check_ins += 1
        row.present, row.changed_at, row.remote = True, now, True
    session.flush()
    events.record(session, "meeting.attendance", meeting_id=meeting.id)
    return True
