"""Who may use the leader's desk ("Mitt lag").

Rules:
- desk.open (no target) — the member holds a position that opens some unit's member list
  (the header link "Mitt lag").
- desk.view (target: OrgUnit) — exactly those who see the unit's member list from the
  register ("group.view_member_list"): the same people may read changes and restanse,
  copy addresses and write messages to the unit.
- desk.send (target: OrgUnit) — desk.view, and for a fylkeslag-wide message the fylkeslag's
  own leader (fylkesleder of that unit).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from innsiden.access import can, rule
from innsiden.groups.membership import UNIT_LIST_ROLES
from membersync.models import Member, OrgUnit

FYLKESLAG_SENDER_ROLES = frozenset({"fylkesleder"})


@rule("desk.open")
def _open(_session: Session, member: Member, _target: Any) -> bool:
    return any(p.role in UNIT_LIST_ROLES for p in member.positions)


@rule("desk.view")
def _view(session: Session, member: Member, unit: Any) -> bool:
    if not isinstance(unit, OrgUnit) or unit.type not in ("lokallag", "fylkeslag"):
        return False
    return can(session, member, "group.view_member_list", unit)


@rule("desk.send")
def _send(session: Session, member: Member, unit: Any) -> bool:
    if not _view(session, member, unit):
        return False
    if unit.type == "lokallag":
        return True
    return any(p.role in FYLKESLAG_SENDER_ROLES and p.unit_id == unit.id for p in member.positions)
