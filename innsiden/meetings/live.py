"""Live count present over Socket.IO, sent only after a check-in or check-out committed.

The room "meeting:<id>" (meeting.read) gets `meeting:present` with two numbers, never names.
"""

from __future__ import annotations

from innsiden import events, realtime
from innsiden.db import session_factory
from innsiden.meetings import attendance
from innsiden.meetings.models import Meeting


def meeting_room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


@events.listen
def _on_attendance(event: events.Event) -> None:
    if event.name not in ("meeting.attendance", "meeting.vote_changed"):
        return
    meeting_id = int(event.payload["meeting_id"])
    if event.name == "meeting.vote_changed":
        realtime.emit_to_room(meeting_room(meeting_id), "meeting:vote", {"meeting_id": meeting_id})
        return
    with session_factory()() as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            return
        shown = attendance.count(session, meeting)
    realtime.emit_to_room(
        meeting_room(meeting_id),
        "meeting:present",
        {"meeting_id": meeting_id, "present": shown.present, "voters": shown.voters},
    )
