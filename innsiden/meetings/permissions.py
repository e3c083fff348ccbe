"""Who may do what with an årsmøte: the "meeting.*" access rules and the realtime room kind.

The leader who calls and runs a meeting is found exactly as the leader's desk finds one
("desk.send" on the group's unit: the lokallag's leaders, the fylkeslag's own leader), so
the two capabilities never disagree about who leads a unit.

Rules (target: a Meeting, except where noted):
- meeting.call (target: Group) — call an årsmøte of a lokallag's or fylkeslag's group:
  "desk.send" on its unit, while the unit is not removed.
- meeting.manage — edit the agenda, compute and freeze the roll, decide complaints, correct
  the roll, open check-in, run votes: as meeting.call on the meeting's group.
- meeting.read — see the meeting, its agenda and one's own line on the roll: whoever may read
  its group ("group.read"), and those who manage it.
- meeting.roll — see the whole roll (names and reasons: membership is special-category data):
  those who manage the meeting only; every view is audited by the page.
- meeting.take_part — complain about one's own line, check in, vote (the service checks the
  window, the code and the electorate, with a message saying why): meeting.read.
- meeting.profiles (no target) — add a version of a statute profile: portal administrators.

Room kind: "meeting:<id>" (meeting.read) carries the live count present, never names.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import realtime
from innsiden.access import can, rule
from innsiden.admin.permissions import is_portal_admin
from innsiden.groups.models import LOCATION_KINDS, Group
from innsiden.meetings.models import Meeting
from innsiden.meetings.record_models import MeetingMinutes, MeetingOfficer
from innsiden.meetings.room_models import PaperVote
from membersync.models import Member


def _leads(session: Session, member: Member, group: Group | None) -> bool:
    if group is None or group.kind not in LOCATION_KINDS or group.unit is None:
        return False
    if group.unit.removed_at is not None:
        return False
    return can(session, member, "desk.send", group.unit)


def _group_of(session: Session, target: Any) -> Group | None:
    return session.get(Group, target.group_id) if isinstance(target, Meeting) else None


@rule("meeting.call")
def _call(session: Session, member: Member, group: Any) -> bool:
    return isinstance(group, Group) and _leads(session, member, group)


@rule("meeting.manage")
def _manage(session: Session, member: Member, meeting: Any) -> bool:
    return _leads(session, member, _group_of(session, meeting))


@rule("meeting.read")
def _read(session: Session, member: Member, meeting: Any) -> bool:
    group = _group_of(session, meeting)
    if group is None:
        return False
    return can(session, member, "group.read", group) or _leads(session, member, group)


@rule("meeting.roll")
def _roll(session: Session, member: Member, meeting: Any) -> bool:
    return _manage(session, member, meeting)


@rule("meeting.take_part")
def _take_part(session: Session, member: Member, meeting: Any) -> bool:
    return _read(session, member, meeting)


@rule("meeting.profiles")
def _profiles(_session: Session, member: Member, _target: Any) -> bool:
    return is_portal_admin(member)


@realtime.room_kind("meeting")
def _meeting_room(session: Session, member: Member, ident: str) -> bool:
    """The live count present of one meeting: whoever may read it."""
    meeting = session.get(Meeting, int(ident)) if ident.isdigit() else None
    return can(session, member, "meeting.read", meeting)


# --- The record: minutes (innsiden.meetings.minutes) --------------------------------------
# - meeting.minutes_edit — draft and edit the minutes: the minute-takers the meeting elected,
#   and those who manage it.
# - meeting.minutes_sign — sign the minutes with a one-time code: the elected minute-signers
#   who may still read the meeting.
# - meeting.minutes_read — read the minutes: published, whoever may read the meeting; a draft,
#   those who edit or sign it.


def _officer(session: Session, member: Member, meeting: Any, role: str) -> bool:
    return (
        isinstance(meeting, Meeting)
        and session.get(MeetingOfficer, (meeting.id, role, member.number)) is not None
    )


@rule("meeting.minutes_edit")
def _minutes_edit(session: Session, member: Member, meeting: Any) -> bool:
    if not _read(session, member, meeting):
        return False
    return _officer(session, member, meeting, "minute_taker") or _manage(session, member, meeting)


# - meeting.decide_tie — decide a tie the statutes leave to the chair (an election's count):
#   the chair (møteleder) the meeting elected, and those who manage it.


@rule("meeting.decide_tie")
def _decide_tie(session: Session, member: Member, meeting: Any) -> bool:
    if not _read(session, member, meeting):
        return False
    return _officer(session, member, meeting, "chair") or _manage(session, member, meeting)


@rule("meeting.minutes_sign")
def _minutes_sign(session: Session, member: Member, meeting: Any) -> bool:
    return _read(session, member, meeting) and _officer(session, member, meeting, "signer")


@rule("meeting.minutes_read")
def _minutes_read(session: Session, member: Member, meeting: Any) -> bool:
    if not _read(session, member, meeting):
        return False
    minutes = session.scalar(select(MeetingMinutes).where(MeetingMinutes.meeting_id == meeting.id))
    if minutes is not None and minutes.state == "published":
        return True
    return _minutes_edit(session, member, meeting) or _minutes_sign(session, member, meeting)


# --- The meeting room (innsiden.meetings.room, innsiden.meetings.paper_votes) ---------------
# - meeting.count_paper (target: PaperVote) — enter the counts of a vote held on paper: the two
#   counters the chair named for that vote, while they may read the meeting.
# Room kind: "meeting-screen:<id>" (meeting.manage) carries what the projector shows live
# (turnout, the agenda item), never names.


@rule("meeting.count_paper")
def _count_paper(session: Session, member: Member, paper: Any) -> bool:
    if not isinstance(paper, PaperVote):
        return False
    if member.number not in (paper.first_counter, paper.second_counter):
        return False
    return _read(session, member, session.get(Meeting, paper.meeting_id))


@realtime.room_kind("meeting-screen")
def _meeting_screen_room(session: Session, member: Member, ident: str) -> bool:
    """The projector's live figures of one meeting: those who manage it."""
    meeting = session.get(Meeting, int(ident)) if ident.isdigit() else None
    return can(session, member, "meeting.manage", meeting)
