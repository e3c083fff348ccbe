"""Discussions on group pages: unread counts for "Mine grupper" and the thread list section."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy.orm import Session

from innsiden import access
from innsiden.discussions import moderation, reading
from innsiden.groups import activity
from innsiden.groups.models import Group
from membersync.models import Member


@activity.unread_counter
def _unread(session: Session, member: Member, group_ids: Collection[int]) -> Mapping[int, int]:
    return reading.unread_threads(session, member, list(group_ids))


def section_context(session: Session, member: Member, group: Group) -> dict[str, Any]:
    rows, cursor = reading.group_threads(session, member, group)
    moderate = access.can(session, member, "group.moderate", group)
    return {
        "threads": rows,
        "cursor": cursor,
        "can_create": access.can(session, member, "thread.create", group),
        "open_reports": moderation.open_report_count(session, group.id) if moderate else 0,
        "moderate": moderate,
    }


@activity.front_page_section("discussions/_group_section.html")
def _section(session: Session, member: Member, group: Group) -> dict[str, Any]:
    return section_context(session, member, group)
