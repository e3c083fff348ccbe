"""Shortcuts for a leader: their units' member lists (all, and those in restanse).

Only units whose list the member may see ("group.view_member_list", the GDPR rule); the
links go to the groups capability's own pages, which check and audit-log every view.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.groups.membership import FYLKESLAG_LIST_ROLES, UNIT_LIST_ROLES
from membersync.models import Member, OrgUnit


@dataclass(frozen=True)
class LeaderUnit:
    id: str
    name: str


def leader_units(session: Session, member: Member) -> list[LeaderUnit]:
    held = {p.unit_id for p in member.positions if p.role in UNIT_LIST_ROLES | FYLKESLAG_LIST_ROLES}
    if not held:
        return []
    query = select(OrgUnit).where(OrgUnit.id.in_(sorted(held))).order_by(OrgUnit.name)
    units = session.scalars(query)
    return [
        LeaderUnit(unit.id, unit.name)
        for unit in units
        if access.can(session, member, "group.view_member_list", unit)
    ]
