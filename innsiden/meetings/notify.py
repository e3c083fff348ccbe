"""Meetings in notifications: when the minutes are signed and published, every member of the
meeting's group hears of it. The subject "meeting:<id>" is checked with "meeting.minutes_read"
whenever the notification is shown or e-mailed, so a member who left the group no longer
sees it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.groups import service as groups
from innsiden.groups.models import Group
from innsiden.meetings.models import Meeting
from innsiden.notifications.registry import Draft, notifies, subject_visibility
from membersync.models import Member


def minutes_url(meeting: Meeting) -> str:
    return f"/grupper/{meeting.group_id}/arsmote/{meeting.id}/protokoll"


@notifies("meeting.minutes_published")
def _minutes_published(session: Session, payload: dict[str, Any]) -> Iterable[Draft]:
    meeting = session.get(Meeting, int(payload.get("meeting_id", 0)))
    group = session.get(Group, meeting.group_id) if meeting else None
    if meeting is None or group is None:
        return []
    title = _("Protokollen fra %(title)s i %(group)s er underskrevet", title=meeting.title,
              group=group.name)  # fmt: skip
    return [
        Draft(
            recipient_number=number,
            kind="meetings.minutes_published",
            title=title,
            url=minutes_url(meeting),
            group_id=group.id,
            subject=f"meeting:{meeting.id}",
            announcement=True,
        )
        for number in sorted(groups.group_member_numbers(session, group))
    ]


@subject_visibility("meeting")
def _meeting_visible(session: Session, member: Member, ident: str) -> bool:
    meeting = session.get(Meeting, int(ident)) if ident.isdigit() else None
    return access.can(session, member, "meeting.minutes_read", meeting)
