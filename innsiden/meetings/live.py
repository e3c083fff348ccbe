"""Live counts over Socket.IO for the meeting's room "meeting:<id>" (meeting.read): numbers,
never names, never how anyone voted.

- `meeting:present` {present, voters}: after a check-in or check-out;
- `meeting:votes` {vote_id, voted, electorate}: after a vote is cast (how many rights used);
- `meeting:vote` {meeting_id}: a vote opened, closed or turned into a written ballot (pages
  reload to show the form or the result).

The counts are read by the page or API route *after* its commit, with its own session, whose
connection went back to the pool at the commit (`push_present`, `push_turnout`). The domain
event listener below only forwards the `meeting:vote` signal and never touches the database:
it runs inside the commit, while the committing session still holds its connection, so
opening a second session there would take a second connection per request — with 300
voters at once, enough to starve the pool.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from innsiden import events, realtime
from innsiden.meetings import attendance, voting
from innsiden.meetings.models import Meeting, MeetingVote


def meeting_room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


def push_present(session: Session, meeting: Meeting) -> None:
    """Call after the check-in's (or check-out's) commit."""
    shown = attendance.count(session, meeting)
    realtime.emit_to_room(
        meeting_room(meeting.id),
        "meeting:present",
        {"meeting_id": meeting.id, "present": shown.present, "voters": shown.voters},
    )


def turnout_payload(session: Session, vote: MeetingVote) -> dict[str, int]:
    return {
        "meeting_id": vote.meeting_id,
        "vote_id": vote.id,
        "voted": voting.turnout(session, vote),
        "electorate": vote.electorate_size,
    }


def push_turnout(session: Session, vote: MeetingVote) -> None:
    """Call after the cast's commit: how many have voted, to everyone in the room."""
    realtime.emit_to_room(meeting_room(vote.meeting_id), "meeting:votes",
                          turnout_payload(session, vote))  # fmt: skip


@events.listen
def _on_vote_changed(event: events.Event) -> None:
    if event.name == "meeting.vote_changed":
        meeting_id = int(event.payload["meeting_id"])
        realtime.emit_to_room(meeting_room(meeting_id), "meeting:vote", {"meeting_id": meeting_id})
