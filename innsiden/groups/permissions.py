"""Who may do what with a group: the rules registered with `innsiden.access`, and the
realtime room kind "group".

Where a listing needs a rule for many groups at once, its set-wise form lives here beside
the per-object predicate, and tests/groups/test_rule_agreement.py checks that the two agree
for every member and group it generates:
- group.see  → `visible_clause(session, member)` (SQL on Group);
- group.read → `readable_clause(session, member)` (SQL on Group) and `readable_group_ids`;
- group.administer → `administered_clause(session, member)` (SQL on Group).

Rules (target: a Group, except where noted):
- group.see — know the group exists (listings, its front page). Location groups: every
  member. Interest groups: members and invitees, everyone else in scope unless hidden (an
  invitation counts only within the scope, like a membership); a proposal only its proposer.
- group.read — see its content. Members; everyone in scope of an open group; an archived
  lokallag's group is readable by its fylkeslag's members, an archived fylkeslag's group by
  every member (its members have moved, its content is kept) — except a group whose unit the
  register merged or split (`Group.reshaped`): that archive is readable by exactly those who
  were in the group at that moment (`GroupFormerMember`), and by no one else.
- group.read_every (target None) — read every group there is, now and later: portal
  administrators. Search gives such a member one "all groups" audience instead of one per
  group (tests/groups/test_rule_agreement.py checks it implies group.read for each group).
- group.list_members — see the in-group member list (names, profiles): members only.
- group.post — write: members of an active, unarchived group.
- group.join — join an open group or ask to join a closed one (in scope, not a member);
  a hidden group only with an invitation. Location groups cannot be joined or left.
- group.moderate / group.administer — by role (register, hand-appointed); portal
  administrators (register role `sentraladmin`) may do everything in every group.
- group.propose (target None) — any member may propose an interest group.
- group.decide_proposal — portal administrators.
- group.view_member_list (target: OrgUnit or location Group) — the register's member list
  with contact details: lokallagsleder, nestleder, dataansvarlig, kasserer of that unit;
  fylkesleder, fylkessekretaer, kasserer of its fylkeslag. Nobody else, by design (GDPR).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, not_, or_, select, true
from sqlalchemy.orm import Session, aliased

from innsiden import realtime
from innsiden.access import can, may_use_portal, rule
from innsiden.admin.permissions import is_portal_admin
from innsiden.groups.anchors import location_groups
from innsiden.groups.membership import (
    FYLKESLAG_LIST_ROLES,
    UNIT_LIST_ROLES,
    Place,
    admin_unit_ids,
    location_unit_ids,
    place_of,
)
from innsiden.groups.models import (
    LOCATION_KINDS,
    Group,
    GroupAppointment,
    GroupFormerMember,
    GroupMembership,
    Invitation,
)
from innsiden.groups.service import LIVE_STATUSES, standing
from membersync.models import Member, OrgUnit


def _is_group(target: Any) -> bool:
    return isinstance(target, Group)


@rule("group.see")
def _see(session: Session, member: Member, group: Any) -> bool:
    if not _is_group(group):
        return False
    if is_portal_admin(member) or group.is_location:
        return True
    if group.status not in LIVE_STATUSES:
        return group.created_by == member.number
    place = standing(session, member, group)
    if place.member or place.invited:
        return True
    return group.visibility != "hidden" and place.in_scope


def visible_clause(session: Session, member: Member) -> ColumnElement[bool]:
    """SQL on Group: the groups `member` may know exist — "group.see" for many at once."""
    if not may_use_portal(session, member):
        return false()
    if is_portal_admin(member):
        return true()
    live_and_seen = and_(
        Group.status.in_(LIVE_STATUSES),
        _in_scope(place_of(member)),
        or_(
            Group.id.in_(_own(GroupMembership, member)),
            Group.id.in_(_own(Invitation, member).where(Invitation.status == "pending")),
            Group.visibility != "hidden",
        ),
    )
    return or_(
        Group.kind.in_(LOCATION_KINDS),
        and_(not_(Group.status.in_(LIVE_STATUSES)), Group.created_by == member.number),
        live_and_seen,
    )


@rule("group.read")
def _read(session: Session, member: Member, group: Any) -> bool:
    if not _is_group(group):
        return False
    if is_portal_admin(member):
        return True
    if group.is_location:
        return standing(session, member, group).member or _reads_archive(session, member, group)
    if group.status not in LIVE_STATUSES:
        return False
    place = standing(session, member, group)
    return place.member or (group.visibility == "open" and place.in_scope)


@rule("group.read_every")
def _read_every(_session: Session, member: Member, _target: Any) -> bool:
    return is_portal_admin(member)


def reads_every_group(session: Session, member: Member) -> bool:
    """Whether the member may read every group (search's "all groups" shortcut)."""
    return can(session, member, "group.read_every")


def _reads_archive(session: Session, member: Member, group: Group) -> bool:
    unit = group.unit
    if unit is None or unit.removed_at is None:
        return False
    if group.reshaped is not None:
        return session.get(GroupFormerMember, (group.id, member.number)) is not None
    parent = unit.parent
    if parent is None or parent.type == "sentralt":
        return True
    return parent.id in place_of(member).unit_ids()


def readable_clause(session: Session, member: Member) -> ColumnElement[bool]:
    """SQL on Group: the groups whose content `member` may read — "group.read" for many."""
    if not may_use_portal(session, member):
        return false()
    if is_portal_admin(member):
        return true()
    place = place_of(member)
    location = and_(
        Group.kind.in_(LOCATION_KINDS),
        or_(
            Group.unit_id.in_(sorted(location_unit_ids(member))),
            and_(Group.reshaped.is_(None), Group.unit_id.in_(_archive(place))),
            and_(
                Group.reshaped.is_not(None),
                Group.unit_id.in_(select(OrgUnit.id).where(OrgUnit.removed_at.is_not(None))),
                Group.id.in_(_own(GroupFormerMember, member)),
            ),
        ),
    )
    interest = and_(
        Group.kind == "interest",
        Group.status.in_(LIVE_STATUSES),
        _in_scope(place),
        or_(Group.id.in_(_own(GroupMembership, member)), Group.visibility == "open"),
    )
    return or_(location, interest)


def readable_group_ids(session: Session, member: Member) -> set[int]:
    """Ids of every group whose content the member may read (search filters, listings).

    The member's own location groups are anchored first (a unit synced a moment ago has
    its group at once); their ids come from that answer, which this session's snapshot may
    not show yet."""
    if not may_use_portal(session, member):
        return set()
    own = location_groups(session, OrgUnit.id.in_(sorted(location_unit_ids(member))))
    ids = set(session.scalars(select(Group.id).where(readable_clause(session, member))))
    return ids | {row.group_id for row in own}


def _archive(place: Place) -> Select[tuple[str]]:
    """Removed units whose archived group `_reads_archive` opens to a member at `place`."""
    parent = aliased(OrgUnit)
    return (
        select(OrgUnit.id)
        .outerjoin(parent, parent.id == OrgUnit.parent_id)
        .where(OrgUnit.removed_at.is_not(None))
        .where(
            or_(
                parent.id.is_(None),
                parent.type == "sentralt",
                parent.id.in_(sorted(place.unit_ids())),
            )
        )
    )


def _in_scope(place: Place) -> ColumnElement[bool]:
    """SQL: the group's scope includes `place` (the set-wise `Place.within`)."""
    return or_(Group.scope_unit_id.is_(None), Group.scope_unit_id.in_(sorted(place.unit_ids())))


def _own(
    model: type[GroupMembership] | type[Invitation] | type[GroupFormerMember], member: Member
) -> Select[tuple[int]]:
    return select(model.group_id).where(model.member_number == member.number)


@rule("group.list_members")
def _list_members(session: Session, member: Member, group: Any) -> bool:
    if not _is_group(group):
        return False
    return is_portal_admin(member) or standing(session, member, group).member


@rule("group.post")
def _post(session: Session, member: Member, group: Any) -> bool:
    if not _is_group(group) or group.archived or group.status != "active":
        return False
    return is_portal_admin(member) or standing(session, member, group).member


@rule("group.join")
def _join(session: Session, member: Member, group: Any) -> bool:
    if not _is_group(group) or group.is_location or group.status != "active":
        return False
    place = standing(session, member, group)
    if place.member or not place.in_scope:
        return False
    return place.invited or group.visibility in ("open", "closed")


@rule("group.moderate")
def _moderate(session: Session, member: Member, group: Any) -> bool:
    if not _is_group(group):
        return False
    role = standing(session, member, group).role
    return is_portal_admin(member) or role in ("administrator", "moderator")


@rule("group.administer")
def _administer(session: Session, member: Member, group: Any) -> bool:
    if not _is_group(group):
        return False
    return is_portal_admin(member) or standing(session, member, group).role == "administrator"


def administered_clause(session: Session, member: Member) -> ColumnElement[bool]:
    """SQL on Group: the groups `member` administers — "group.administer" for many at once.

    Register-given administrators of a location group, or a hand-given appointment that
    counts while the member is in the group (a location group of theirs, or a stored
    membership of an interest group within its scope)."""
    if not may_use_portal(session, member):
        return false()
    if is_portal_admin(member):
        return true()
    place = place_of(member)
    located = sorted(location_unit_ids(member))
    appointed = select(GroupAppointment.group_id).where(
        GroupAppointment.member_number == member.number,
        GroupAppointment.role == "administrator",
    )
    location = and_(
        Group.kind.in_(LOCATION_KINDS),
        Group.unit_id.in_(located),
        or_(Group.unit_id.in_(sorted(admin_unit_ids(member))), Group.id.in_(appointed)),
    )
    interest = and_(
        not_(Group.kind.in_(LOCATION_KINDS)),
        _in_scope(place),
        Group.id.in_(_own(GroupMembership, member)),
        Group.id.in_(appointed),
    )
    return or_(location, interest)


@rule("group.propose")
def _propose(_session: Session, _member: Member, _target: Any) -> bool:
    return True  # any member with access; a portal administrator's proposal is approved at once


@rule("group.decide_proposal")
def _decide_proposal(_session: Session, member: Member, _group: Any) -> bool:
    return is_portal_admin(member)


@rule("group.view_member_list")
def _view_member_list(_session: Session, member: Member, target: Any) -> bool:
    unit = target.unit if _is_group(target) else target
    if not isinstance(unit, OrgUnit):
        return False
    held = {(p.role, p.unit_id) for p in member.positions}
    if any((role, unit.id) in held for role in UNIT_LIST_ROLES):
        return True
    return unit.type == "lokallag" and any(
        (role, unit.parent_id) in held for role in FYLKESLAG_LIST_ROLES
    )


@realtime.room_kind("group")
def _group_room(session: Session, member: Member, ident: str) -> bool:
    """Live updates of a group ("group:<id>") go to those who may read it."""
    if not ident.isdigit():
        return False
    return can(session, member, "group.read", session.get(Group, int(ident)))
