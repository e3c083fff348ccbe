"""Local roles: who is editor ("kan skrive") or reviewer ("kan godkjenne") where.

Derived, never copied (architecture.md):
- register positions: a lokallag's `lokallagsleder` and `informasjonsansvarlig`, and a
  fylkeslag's `fylkesleder`, are reviewers of their unit's group, read from the mirror at
  each check like the groups' own administrator roles; `sentraladmin` reviews everywhere;
- interest groups: their hand-appointed administrators review them;
- "Deling": group administrators give members editor or reviewer at their group by hand
  (`ContentRole`); a grant counts only while the member may read the group;
- a role held at a place holds in the places under it (organisation → fylkeslag → its
  lokallag), unless an item says otherwise (`inherit_roles` off: only roles held at the
  item's own place, and the portal administrators', reach it).
A reviewer is an editor too. Computed once per session and member, a fixed handful of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.admin.permissions import is_portal_admin
from innsiden.content.models import ContentRole
from innsiden.groups.anchors import location_groups
from innsiden.groups.models import Group, GroupAppointment
from membersync.models import Member, OrgUnit

# Positions that make their holder reviewer of the unit's group (and of the places below).
REVIEWER_POSITIONS = frozenset({"lokallagsleder", "informasjonsansvarlig", "fylkesleder"})
ROLE_LABELS = {"editor": "kan skrive", "reviewer": "kan godkjenne"}

_CACHE = "innsiden.content.roles"


@dataclass
class RoleSet:
    """Groups where one role holds: at the place itself, or only from a place above."""

    direct: set[int] = field(default_factory=set)
    below: set[int] = field(default_factory=set)
    org: bool = False  # held at the organisation: its own items, and everything below

    def holds(self, group_id: int | None, inherit: bool) -> bool:
        if group_id is None:
            return self.org
        if group_id in self.direct:
            return True
        return inherit and (self.org or group_id in self.below)


@dataclass
class MemberRoles:
    """A member's editor and reviewer places (and, asked once per group, what they read)."""

    admin: bool
    editor: RoleSet
    reviewer: RoleSet
    reads: dict[int, bool] = field(default_factory=dict)


def reads_group(session: Session, member: Member, group_id: int) -> bool:
    """May the member read this group ("group.read"), remembered with the member's roles."""
    roles = member_roles(session, member)
    if group_id not in roles.reads:
        group = session.get(Group, group_id)
        roles.reads[group_id] = access.can(session, member, "group.read", group)
    return roles.reads[group_id]


def readable_among(session: Session, member: Member, group_ids: Iterable[int]) -> set[int]:
    return {g for g in group_ids if reads_group(session, member, g)}


def member_roles(session: Session, member: Member) -> MemberRoles:
    cache: dict[int, MemberRoles] = session.info.setdefault(_CACHE, {})
    if member.number not in cache:
        cache[member.number] = _compute(session, member)
    return cache[member.number]


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_CACHE, None)


def _compute(session: Session, member: Member) -> MemberRoles:
    roles = {"editor": RoleSet(), "reviewer": RoleSet()}
    admin = is_portal_admin(member)
    roles["reviewer"].org = admin
    units: dict[str, set[str]] = {"editor": set(), "reviewer": set()}
    units["reviewer"] |= {p.unit_id for p in member.positions if p.role in REVIEWER_POSITIONS}
    administered = _interest_groups_administered(session, member)
    grants = session.execute(
        select(ContentRole.group_id, ContentRole.role, Group.unit_id)
        .outerjoin(Group, Group.id == ContentRole.group_id)
        .where(ContentRole.member_number == member.number)
    ).all()
    readable = _grant_groups_readable(
        session, member, {g for g, _r, _u in grants if g} | administered
    )
    for group_id, role, unit_id in grants:
        if group_id is None:
            roles[role].org = True
        elif group_id in readable:
            roles[role].direct.add(group_id)
            if unit_id is not None:
                units[role].add(unit_id)
    roles["reviewer"].direct |= administered & readable
    _place_unit_roles(session, units, roles)
    roles["editor"].direct |= roles["reviewer"].direct
    roles["editor"].below |= roles["reviewer"].below
    roles["editor"].org |= roles["reviewer"].org
    return MemberRoles(admin, roles["editor"], roles["reviewer"])


def _grant_groups_readable(session: Session, member: Member, group_ids: set[int]) -> set[int]:
    """Hand-given roles count only while the member may read the group (one query for
    the groups; the rule itself decides)."""
    if not group_ids:
        return set()
    groups = session.scalars(select(Group).where(Group.id.in_(sorted(group_ids)))).unique()
    return {g.id for g in groups if access.can(session, member, "group.read", g)}


def _interest_groups_administered(session: Session, member: Member) -> set[int]:
    return set(
        session.scalars(
            select(GroupAppointment.group_id)
            .join(Group, Group.id == GroupAppointment.group_id)
            .where(GroupAppointment.member_number == member.number, Group.kind == "interest")
            .where(GroupAppointment.role == "administrator")
        )
    )


def _place_unit_roles(
    session: Session, units: dict[str, set[str]], roles: dict[str, RoleSet]
) -> None:
    """Turn units where a role is held into group ids: the unit's own group directly, and
    the lokallag groups under a fylkeslag by inheritance (one query for both roles)."""
    every = units["editor"] | units["reviewer"]
    if not every:
        return
    found = location_groups(
        session, or_(OrgUnit.id.in_(sorted(every)), OrgUnit.parent_id.in_(sorted(every)))
    )
    for role, held in units.items():
        for row in found:
            if row.unit.id in held:
                roles[role].direct.add(row.group_id)
            elif row.unit.parent_id in held:
                roles[role].below.add(row.group_id)


def parent_place(session: Session, group: Group | None) -> Group | None:
    """The place above a group: a lokallag's fylkeslag group (None: the organisation)."""
    unit = group.unit if group is not None else None
    if unit is None or unit.parent is None or unit.parent.type != "fylkeslag":
        return None
    group = session.scalar(select(Group).where(Group.unit_id == unit.parent.id))
    if group is None:  # not anchored yet: anchor it, so the answer never depends on that
        found = location_groups(session, OrgUnit.id == unit.parent.id)
        group = session.get(Group, found[0].group_id) if found else None
    return group
