"""A "Mitt lag" link on a lokallag's or fylkeslag's group page, for those whose desk it is."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from innsiden import access
from innsiden.groups import activity
from membersync.models import Member


@activity.front_page_section("desk/_group_section.html")
def desk_link(session: Session, member: Member, group: Any) -> dict[str, Any] | None:
    unit = getattr(group, "unit", None) if getattr(group, "is_location", False) else None
    if unit is None or not access.can(session, member, "desk.view", unit):
        return None
    return {"unit": unit}
