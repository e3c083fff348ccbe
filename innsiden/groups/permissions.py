"""Who may do what with a group: the rules registered with `innsiden.access`, and the
realtime room kind "group".

Rules (target: a Group, except where noted):
- group.see — know the group exists (listings, its front page). Location groups: every
  member. Interest groups: members and invitees; everyone in scope unless hidden;
  a proposal only its proposer.
- group.read — see its content. Members; everyone in scope of an open group; an archived
  lokallag's group is readable by its fylkeslag's members, an archived fylkeslag's group by
  every member (its members have moved, its content is kept).
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

from sqlalchemy.orm import Session

from innsiden import realtime
from innsiden.access import can, rule
from innsiden.admin.permissions import is_portal_admin
from innsiden.groups.membership import FYLKESLAG_LIST_ROLES, UNIT_LIST_ROLES, place_of
from innsiden.groups.models import Group
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


@rule("group.read")
def _read(session: Session, member: Member, group: Any) -> bool:
    if not _is_group(group):
        return False
    if is_portal_admin(member):
        return True
    if group.is_location:
        return standing(session, member, group).member or _reads_archive(member, group)
    if group.status not in LIVE_STATUSES:
        return False
    place = standing(session, member, group)
    return place.member or (group.visibility == "open" and place.in_scope)


def _reads_archive(member: Member, group: Group) -> bool:
    unit = group.unit
    if unit is None or unit.removed_at is None:
        return False
    parent = unit.parent
    if parent is None or parent.type == "sentralt":
        return True
    return parent.id in place_of(member).unit_ids()


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
