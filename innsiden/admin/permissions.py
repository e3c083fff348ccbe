"""Who is a portal administrator: the register says so through the `sentraladmin` position."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from innsiden.access import rule
from membersync.models import Member

ADMIN_ROLE = "sentraladmin"


def is_portal_admin(member: Member) -> bool:
    return any(position.role == ADMIN_ROLE for position in member.positions)


@rule("admin.use")
def _admin_use(_session: Session, member: Member, _target: Any) -> bool:
    return is_portal_admin(member)
