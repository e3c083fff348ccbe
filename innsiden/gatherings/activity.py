"""The events part of a group's front page: the next few events and a link to the calendar."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from innsiden import access
from innsiden.gatherings import listing
from innsiden.groups import activity
from membersync.models import Member

SHOWN = 3


@activity.front_page_section("gatherings/_group_section.html")
def upcoming_in_group(session: Session, member: Member, group: Any) -> dict[str, Any]:
    query = listing.of_group(session, member, group)
    return {
        "entries": listing.upcoming(session, member, query, limit=SHOWN),
        "can_create": access.can(session, member, "gathering.create", group),
    }
