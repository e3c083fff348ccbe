"""@mention autocomplete: members of a group whose name starts with what was typed."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.groups.membership import interest_members, location_members
from innsiden.groups.models import Group
from membersync.models import Member

LIMIT = 10


def complete(session: Session, member: Member, group: Group, prefix: str) -> list[tuple[int, str]]:
    """Up to 10 (number, name) of the group's members matching `prefix` (first or last
    name, or the full name). Only those who may see the member list get answers."""
    access.require(session, member, "group.list_members", group, visible=True)
    prefix = " ".join(prefix.split()).lower()
    if not prefix or len(prefix) > 100:
        return []
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    members = (
        location_members([group.unit_id or ""])
        if group.is_location
        else interest_members([group.id])
    )
    full = func.lower(Member.first_name + " " + Member.last_name)
    rows = session.execute(
        select(Member.number, Member.first_name, Member.last_name)
        .join(members, members.c.number == Member.number)
        .where(
            or_(
                full.like(escaped, escape="\\"),
                func.lower(Member.last_name).like(escaped, escape="\\"),
            )
        )
        .order_by(Member.first_name, Member.last_name, Member.number)
        .limit(LIMIT)
    )
    return [(number, f"{first} {last}".strip()) for number, first, last in rows]
