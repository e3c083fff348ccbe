"""The groups service: the one API other capabilities use to ask about groups.

Reading (no permission check; ask `innsiden.access` for that, e.g. "group.read"):
- `get_group(session, group_id)` → Group or NotFound; `visible_group(...)` also requires
  "group.see" (404 otherwise, so hidden groups stay invisible).
- `standing(session, member, group)` → Standing(member, role, invited, requested, in_scope),
  computed once per session and group (cached until the next flush). A stored membership
  or a pending invitation counts only while the member is within the group's scope.
- Who may see or read which groups, set-wise (`readable_group_ids`, `visible_clause`), is in
  `innsiden.groups.permissions`, beside the per-object rules it must agree with.
- `role_in_group(session, member, group)` → "administrator" | "moderator" | "member" | None.
  The member's own role; portal administrators administer every group through the
  permission rules, without being members.
- `is_member(...)`, `member_can_read_group(...)` (= access.can(..., "group.read", group)).
- `groups_of_member(session, member)` → the groups the member is in (location and interest).
- `group_member_numbers(session, group)` → member numbers of everyone in the group now
  (register access only: deliverers should still skip members a portal-side suspension
  keeps out, via `access.may_use_portal`).
- `notification_level(session, member_number, group_id)` / `notification_levels(session,
  group_id, member_numbers)` → "all" (everything), "mine" (only threads they started or
  took part in) or "none" (muted). No stored row means "all".

Writing (flush, never commit; raise domain errors): `set_notification_level`, `appoint`,
`update_group` (records `group.updated`), `save_profile`; interest groups' life cycle is in
`innsiden.groups.interest`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import event, exists, select
from sqlalchemy.orm import Session

from innsiden import access, events
from innsiden.errors import NotFound, ValidationFailed
from innsiden.groups import reshape
from innsiden.groups.anchors import location_groups
from innsiden.groups.membership import (
    ADMIN_ROLES,
    admin_unit_ids,
    interest_members,
    location_members,
    location_unit_ids,
    place_of,
)
from innsiden.groups.models import (
    NOTIFICATION_LEVELS,
    VISIBILITIES,
    Group,
    GroupAppointment,
    GroupMembership,
    GroupSubscription,
    Invitation,
    JoinRequest,
    MemberProfile,
)
from membersync.models import Member, OrgUnit, Position

_CACHE = "innsiden.groups.standing"
LIVE_STATUSES = ("active", "archived")  # interest groups whose content exists


@dataclass(frozen=True)
class Standing:
    """Where one member stands in one group, derived now."""

    member: bool
    role: str | None
    invited: bool = False
    requested: bool = False
    in_scope: bool = True


def get_group(session: Session, group_id: int, *, follow_merge: bool = True) -> Group:
    """The group; a group the register merged into another raises GroupMerged (pages
    redirect to the new group) unless `follow_merge` is False."""
    group = session.get(Group, group_id)
    if group is None:
        raise NotFound()
    if follow_merge:
        reshape.follow_merge(session, group)
    return group


def visible_group(
    session: Session, member: Member | None, group_id: int, *, follow_merge: bool = True
) -> Group:
    """The group, if the member may know it exists; otherwise NotFound (never 403).
    A merged group raises GroupMerged, as in `get_group`."""
    group = session.get(Group, group_id)
    access.require(session, member, "group.see", group)
    assert group is not None  # the rule said yes, so there is a group
    if follow_merge:
        reshape.follow_merge(session, group)
    return group


def standing(session: Session, member: Member, group: Group) -> Standing:
    cache: dict[tuple[int, int], Standing] = session.info.setdefault(_CACHE, {})
    key = (member.number, group.id)
    if key not in cache:
        cache[key] = _compute_standing(session, member, group)
    return cache[key]


def _compute_standing(session: Session, member: Member, group: Group) -> Standing:
    own = {"group_id": group.id, "member_number": member.number}
    appointed = select(GroupAppointment.role).filter_by(**own).scalar_subquery()
    if group.is_location:
        in_group = group.unit_id in location_unit_ids(member)
        if not in_group:
            return Standing(False, None)
        if group.unit_id in admin_unit_ids(member):
            return Standing(True, "administrator")
        role = session.scalar(select(appointed))
        return Standing(True, role or "member")
    in_scope = place_of(member).within(group.scope_unit_id)
    row = session.execute(
        select(
            exists().where(*_own(GroupMembership, own)),
            appointed,
            exists().where(*_own(Invitation, own), Invitation.status == "pending"),
            exists().where(*_own(JoinRequest, own), JoinRequest.status == "pending"),
        )
    ).one()
    stored, role, invited, requested = row
    # A membership, and an invitation alike, count only within the group's scope: a member
    # who moves away keeps neither a way into the group nor sight of a hidden one.
    is_in = bool(stored) and in_scope
    return Standing(
        is_in,
        (role or "member") if is_in else None,
        bool(invited) and in_scope,
        bool(requested),
        in_scope,
    )


def _own(model: Any, own: dict[str, int]) -> list[Any]:
    return [model.group_id == own["group_id"], model.member_number == own["member_number"]]


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_standings(session: Session, *_args: Any) -> None:
    session.info.pop(_CACHE, None)


def service_cache_key() -> str:
    """Where standings are remembered in `session.info` (listing.prime_standings fills it)."""
    return _CACHE


def role_in_group(session: Session, member: Member, group: Group) -> str | None:
    return standing(session, member, group).role


def is_member(session: Session, member: Member, group: Group) -> bool:
    return standing(session, member, group).member


def member_can_read_group(session: Session, member: Member | None, group: Group) -> bool:
    return access.can(session, member, "group.read", group)


def groups_of_member(session: Session, member: Member) -> list[Group]:
    """The groups the member is in now, location groups first, each list by name."""
    anchors = location_groups(session, OrgUnit.id.in_(sorted(location_unit_ids(member))))
    location = groups_by_id(session, [row.group_id for row in anchors])
    result = []
    for row in anchors:
        group = location.get(row.group_id)
        if group is None:
            # Anchored a moment ago in its own transaction; this session's snapshot predates
            # it, so stand in with an unsaved copy (read-only use).
            group = Group(
                id=row.group_id,
                kind=row.unit.type,
                unit_id=row.unit.id,
                description="",
                status="active",
            )
            group.unit = row.unit
        result.append(group)
    return result + _interest_groups_of(session, member)


def _interest_groups_of(session: Session, member: Member) -> list[Group]:
    place = place_of(member)
    query = (
        select(Group)
        .join(GroupMembership, GroupMembership.group_id == Group.id)
        .where(GroupMembership.member_number == member.number, Group.kind == "interest")
        .where(Group.status.in_(LIVE_STATUSES))
        .order_by(Group.own_name)
    )
    return [g for g in session.scalars(query).unique() if place.within(g.scope_unit_id)]


def groups_by_id(session: Session, group_ids: Collection[int]) -> dict[int, Group]:
    if not group_ids:
        return {}
    rows = session.scalars(select(Group).where(Group.id.in_(sorted(set(group_ids)))))
    return {g.id: g for g in rows.unique()}


def group_member_numbers(session: Session, group: Group) -> set[int]:
    """Everyone in the group now (derived for location groups, stored and in scope else)."""
    if group.is_location:
        members = location_members([group.unit_id or ""])
        return set(session.scalars(select(members.c.number)))
    if group.status not in LIVE_STATUSES:
        return set()
    members = interest_members([group.id])
    return set(session.scalars(select(members.c.number)))


def notification_level(session: Session, member_number: int, group_id: int) -> str:
    level = session.scalar(
        select(GroupSubscription.level).where(
            GroupSubscription.member_number == member_number,
            GroupSubscription.group_id == group_id,
        )
    )
    return level or "all"


def notification_levels(
    session: Session, group_id: int, member_numbers: Collection[int]
) -> dict[int, str]:
    """member number → level for each of `member_numbers` (one query)."""
    levels = dict.fromkeys(member_numbers, "all")
    if member_numbers:
        rows = session.execute(
            select(GroupSubscription.member_number, GroupSubscription.level).where(
                GroupSubscription.group_id == group_id,
                GroupSubscription.member_number.in_(sorted(set(member_numbers))),
            )
        )
        levels.update({number: level for number, level in rows})
    return levels


def set_notification_level(session: Session, member: Member, group: Group, level: str) -> None:
    """Mute (or unmute) a group: the way out of a location group, which cannot be left."""
    access.require(session, member, "group.read", group)
    if level not in NOTIFICATION_LEVELS:
        raise ValidationFailed(fields={"level": _("Velg et av valgene.")})
    row = session.get(GroupSubscription, (member.number, group.id))
    if row is None:
        session.add(GroupSubscription(member_number=member.number, group_id=group.id, level=level))
    else:
        row.level = level
    session.flush()


def appoint(
    session: Session, actor: Member, group: Group, member_number: int, role: str | None
) -> None:
    """Make a member of the group moderator (or administrator of an interest group), or
    take the hand-given role back (`role=None`). Register-given roles cannot be changed."""
    access.require(session, actor, "group.administer", group, visible=True)
    allowed = {"moderator"} if group.is_location else {"moderator", "administrator"}
    if role is not None and role not in allowed:
        raise ValidationFailed(_("Den rollen kan ikke gis her."))
    target = session.get(Member, member_number)
    if target is None or not is_member(session, target, group):
        raise ValidationFailed(_("Bare medlemmer av gruppen kan få en rolle."))
    row = session.get(GroupAppointment, (group.id, member_number))
    if role is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(
            GroupAppointment(
                group_id=group.id, member_number=member_number, role=role, appointed_by=actor.number
            )
        )
    else:
        row.role, row.appointed_by = role, actor.number
    session.flush()


def update_group(
    session: Session,
    actor: Member,
    group: Group,
    *,
    description: str,
    name: str | None = None,
    visibility: str | None = None,
) -> None:
    """Change what the portal owns about a group (a location group's name is the register's)."""
    access.require(session, actor, "group.administer", group, visible=True)
    if len(description) > 5000:
        raise ValidationFailed(fields={"description": _("Beskrivelsen er for lang.")})
    group.description = description.strip()
    if not group.is_location:
        if name is not None:
            group.own_name = check_name(name)
        if visibility is not None:
            group.visibility = check_visibility(visibility)
    events.record(session, "group.updated", group_id=group.id, by=actor.number)
    session.flush()


def check_name(name: str) -> str:
    name = " ".join(name.split())
    if not 3 <= len(name) <= 120:
        raise ValidationFailed(fields={"name": _("Navnet må ha mellom 3 og 120 tegn.")})
    return name


def check_visibility(visibility: str) -> str:
    if visibility not in VISIBILITIES:
        raise ValidationFailed(fields={"visibility": _("Velg hvem som kan se gruppen.")})
    return visibility


def profile_of(session: Session, member_number: int) -> MemberProfile:
    """The member's profile settings (defaults, unsaved, if they never chose)."""
    profile = session.get(MemberProfile, member_number)
    return profile or MemberProfile(
        member_number=member_number, show_email=False, show_mobile=False, about=""
    )


def save_profile(
    session: Session, member: Member, *, show_email: bool, show_mobile: bool, about: str
) -> MemberProfile:
    if len(about) > 2000:
        raise ValidationFailed(fields={"about": _("Teksten er for lang.")})
    profile = session.get(MemberProfile, member.number)
    if profile is None:
        profile = MemberProfile(member_number=member.number)
        session.add(profile)
    profile.show_email, profile.show_mobile, profile.about = show_email, show_mobile, about.strip()
    session.flush()
    return profile


def group_administrator_numbers(session: Session, group: Group) -> set[int]:
    """Members who administer the group now (register positions or hand-given, in the group)."""
    members = group_member_numbers(session, group)
    appointed = set(
        session.scalars(
            select(GroupAppointment.member_number).where(
                GroupAppointment.group_id == group.id, GroupAppointment.role == "administrator"
            )
        )
    )
    if group.is_location:
        appointed |= set(
            session.scalars(
                select(Position.member_number).where(
                    Position.unit_id == group.unit_id, Position.role.in_(sorted(ADMIN_ROLES))
                )
            )
        )
    return appointed & members
