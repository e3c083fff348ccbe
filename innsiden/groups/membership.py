"""Who is in which group, derived at each check from the register mirror and stored joins.

Location groups (architecture.md, "Derive, don't copy"):
- a lokallag's group holds the members whose `lokallag_id` is that lokallag;
- a fylkeslag's group holds the members of its lokallag, plus members the register attaches
  to the fylkeslag itself (their `lokallag_id` is the fylkeslag's id);
- a member attached to the central unit, or to no unit, is in no location group (they use
  the organisation-wide interest groups);
- a member holding an administrator position (`ADMIN_ROLES`) at a unit is in that unit's
  group, wherever they live, because administering a group means reading it.
Only members with register access (`membersync.access`) count. A unit removed by the
register keeps its members by the same rule, but its group is archived (read-only).

Interest groups: a stored `GroupMembership` counts only while the member has access and is
within the group's scope (the whole organisation, one fylkeslag or one lokallag).
Everything here works set-wise, so listings cost the same for 3 groups as for 3,000.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Subquery, and_, or_, select, union
from sqlalchemy.orm import aliased

from innsiden.groups.models import Group, GroupMembership
from membersync.access import STATUSES_WITH_ACCESS
from membersync.models import Member, OrgUnit, Position

# Register positions that make their holder an administrator of the unit's group. The role
# names say which kind of unit they belong to; a position is honoured at whatever unit the
# register puts it (a fylkeslag's nestleder administers the fylkeslag's group).
ADMIN_ROLES = frozenset(
    {"lokallagsleder", "nestleder", "dataansvarlig", "fylkesleder", "fylkessekretaer"}
)
# Positions that may see a unit's member list from the register (contact details, dues).
UNIT_LIST_ROLES = ADMIN_ROLES | {"kasserer"}
# Positions at a fylkeslag that also cover the member lists of all its lokallag.
FYLKESLAG_LIST_ROLES = frozenset({"fylkesleder", "fylkessekretaer", "kasserer"})


@dataclass(frozen=True)
class Place:
    """Where the register puts a member: their lokallag and fylkeslag (either may be None)."""

    lokallag_id: str | None
    fylkeslag_id: str | None

    def unit_ids(self) -> set[str]:
        return {u for u in (self.lokallag_id, self.fylkeslag_id) if u}

    def within(self, scope_unit_id: str | None) -> bool:
        """True if a group scoped to `scope_unit_id` (None: everyone) includes this place."""
        return scope_unit_id is None or scope_unit_id in self.unit_ids()


def place_of(member: Member) -> Place:
    """The member's lokallag and fylkeslag, from the mirror as loaded with the member."""
    unit = member.lokallag
    if unit is None:
        return Place(None, None)
    if unit.type == "lokallag":
        parent = unit.parent
        fylke = parent.id if parent is not None and parent.type == "fylkeslag" else None
        return Place(unit.id, fylke)
    if unit.type == "fylkeslag":
        return Place(None, unit.id)
    return Place(None, None)


def admin_unit_ids(member: Member) -> set[str]:
    """Units whose group the register makes this member an administrator of."""
    return {p.unit_id for p in member.positions if p.role in ADMIN_ROLES}


def location_unit_ids(member: Member) -> set[str]:
    """Units whose location group the member is in (if the unit is a lokallag or fylkeslag)."""
    return place_of(member).unit_ids() | admin_unit_ids(member)


def has_access_clause() -> ColumnElement[bool]:
    """SQL for "the register grants this member access" (the same rule as membersync.access)."""
    return and_(Member.in_register.is_(True), Member.status.in_(sorted(STATUSES_WITH_ACCESS)))


def location_members(unit_ids: Collection[str]) -> Subquery:
    """Rows (unit_id, number): every member of the location groups of `unit_ids`."""
    ids = sorted(set(unit_ids))
    lokallag = aliased(OrgUnit)
    own_unit = select(Member.lokallag_id.label("unit_id"), Member.number.label("number")).where(
        Member.lokallag_id.in_(ids), has_access_clause()
    )
    via_lokallag = (
        select(lokallag.parent_id.label("unit_id"), Member.number.label("number"))
        .join(lokallag, Member.lokallag_id == lokallag.id)
        .where(lokallag.type == "lokallag", lokallag.parent_id.in_(ids), has_access_clause())
    )
    by_position = (
        select(Position.unit_id.label("unit_id"), Position.member_number.label("number"))
        .join(Member, Member.number == Position.member_number)
        .where(Position.unit_id.in_(ids), Position.role.in_(sorted(ADMIN_ROLES)))
        .where(has_access_clause())
    )
    return union(own_unit, via_lokallag, by_position).subquery()


def in_scope_clause(lokallag: type[OrgUnit]) -> ColumnElement[bool]:
    """SQL: the member (joined with their `lokallag` unit) is within the group's scope."""
    return or_(
        Group.scope_unit_id.is_(None),
        Member.lokallag_id == Group.scope_unit_id,
        lokallag.parent_id == Group.scope_unit_id,
    )


def interest_members(group_ids: Collection[int]) -> Subquery:
    """Rows (group_id, number): the effective members of these interest groups."""
    lokallag = aliased(OrgUnit)
    return (
        select(GroupMembership.group_id, GroupMembership.member_number.label("number"))
        .join(Group, Group.id == GroupMembership.group_id)
        .join(Member, Member.number == GroupMembership.member_number)
        .outerjoin(lokallag, lokallag.id == Member.lokallag_id)
        .where(GroupMembership.group_id.in_(sorted(set(group_ids))), has_access_clause())
        .where(in_scope_clause(lokallag))
        .subquery()
    )
