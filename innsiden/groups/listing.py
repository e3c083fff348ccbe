"""What group pages list: "Mine grupper", the directory, a group's members, pending asks.

Every listing is built set-wise — a fixed number of queries whatever the number of groups
or members on the page (tests/groups/test_query_counts.py holds this).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, literal, or_, select
from sqlalchemy.orm import Session

from innsiden.groups import activity
from innsiden.groups.anchors import LocationGroup, location_groups
from innsiden.groups.membership import (
    ADMIN_ROLES,
    Place,
    admin_unit_ids,
    interest_members,
    location_members,
    location_unit_ids,
    place_of,
)
from innsiden.groups.models import (
    Group,
    GroupAppointment,
    GroupMembership,
    Invitation,
    JoinRequest,
    MemberProfile,
)
from innsiden.groups.permissions import visible_clause
from innsiden.groups.service import LIVE_STATUSES, Standing, service_cache_key
from membersync.models import Member, OrgUnit

MEMBERS_PER_PAGE = 100


@dataclass
class GroupCard:
    """One group in a listing, with what the viewing member needs to see about it."""

    id: int
    kind: str
    name: str
    description: str
    archived: bool
    member_count: int
    role: str | None  # the viewer's role, None if not a member
    visibility: str | None = None
    status: str = "active"
    parent_name: str | None = None  # a lokallag's fylkeslag; an interest group's scope
    unread: int = 0
    invited: bool = False
    requested: bool = False

    @property
    def is_location(self) -> bool:
        return self.kind != "interest"


@dataclass(frozen=True)
class MemberCard:
    """A member as other members of a group see them (contact details only if shown)."""

    number: int
    name: str
    role: str
    about: str
    email: str | None
    mobile: str | None


@dataclass(frozen=True)
class Viewer:
    """The viewing member's standing in all groups at once (three queries)."""

    location_units: set[str]
    admin_units: set[str]
    memberships: set[int]
    appointments: dict[int, str]
    invitations: set[int]
    requests: set[int]

    @classmethod
    def of(cls, session: Session, member: Member) -> Viewer:
        appointments = session.execute(
            select(GroupAppointment.group_id, GroupAppointment.role).where(
                GroupAppointment.member_number == member.number
            )
        )
        memberships = session.scalars(
            select(GroupMembership.group_id).where(GroupMembership.member_number == member.number)
        )
        pending = session.execute(
            select(Invitation.group_id, literal("invitation"))
            .where(Invitation.member_number == member.number, Invitation.status == "pending")
            .union_all(
                select(JoinRequest.group_id, literal("request")).where(
                    JoinRequest.member_number == member.number, JoinRequest.status == "pending"
                )
            )
        ).all()
        return cls(
            location_units=location_unit_ids(member),
            admin_units=admin_unit_ids(member),
            memberships=set(memberships),
            appointments={group_id: role for group_id, role in appointments},
            invitations={g for g, kind in pending if kind == "invitation"},
            requests={g for g, kind in pending if kind == "request"},
        )

    def location_role(self, row: LocationGroup) -> str | None:
        if row.unit.id not in self.location_units:
            return None
        if row.unit.id in self.admin_units:
            return "administrator"
        return self.appointments.get(row.group_id, "member")

    def interest_role(self, group: Group, in_scope: bool) -> str | None:
        if group.id not in self.memberships or not in_scope:
            return None
        return self.appointments.get(group.id, "member")


def location_counts(session: Session, unit_ids: Collection[str]) -> dict[str, int]:
    if not unit_ids:
        return {}
    members = location_members(unit_ids)
    rows = session.execute(select(members.c.unit_id, func.count()).group_by(members.c.unit_id))
    return {key: count for key, count in rows}


def interest_counts(session: Session, group_ids: Collection[int]) -> dict[int, int]:
    if not group_ids:
        return {}
    members = interest_members(group_ids)
    rows = session.execute(select(members.c.group_id, func.count()).group_by(members.c.group_id))
    return {key: count for key, count in rows}


def _location_cards(
    session: Session, viewer: Viewer, rows: list[LocationGroup], *, members_only: bool
) -> list[GroupCard]:
    counts = location_counts(session, [row.unit.id for row in rows])
    cards = []
    for row in rows:
        role = viewer.location_role(row)
        if members_only and role is None:
            continue
        parent = row.unit.parent
        cards.append(
            GroupCard(
                id=row.group_id,
                kind=row.unit.type,
                name=row.unit.name,
                description=row.description,
                archived=row.unit.removed_at is not None,
                member_count=counts.get(row.unit.id, 0),
                role=role,
                parent_name=parent.name
                if parent is not None and row.unit.type == "lokallag"
                else None,
            )
        )
    return cards


def _interest_cards(
    session: Session, member: Member, viewer: Viewer, groups: list[Group], *, members_only: bool
) -> list[GroupCard]:
    """Cards for `groups`, which the caller selected with `permissions.visible_clause`."""
    place = place_of(member)
    shown: list[tuple[Group, str | None]] = []
    for group in groups:
        role = viewer.interest_role(group, place.within(group.scope_unit_id))
        if members_only and role is None:
            continue
        shown.append((group, role))
    counts = interest_counts(session, [g.id for g, _role in shown])
    return [
        GroupCard(
            id=group.id,
            kind="interest",
            name=group.name,
            description=group.description,
            archived=group.archived,
            member_count=counts.get(group.id, 0),
            role=role,
            visibility=group.visibility,
            status=group.status,
            parent_name=group.scope_unit.name if group.scope_unit else None,
            invited=group.id in viewer.invitations,
            requested=group.id in viewer.requests,
        )
        for group, role in shown
    ]


def _with_unread(session: Session, member: Member, cards: list[GroupCard]) -> list[GroupCard]:
    counts = activity.unread_counts(session, member, [c.id for c in cards if c.role])
    for card in cards:
        card.unread = counts.get(card.id, 0)
    return cards


def my_groups(session: Session, member: Member) -> list[GroupCard]:
    """The member's groups: their lokallag, their fylkeslag, units they lead, interest groups."""
    viewer = Viewer.of(session, member)
    rows = location_groups(session, OrgUnit.id.in_(sorted(viewer.location_units)))
    rows.sort(key=lambda row: (row.unit.type != "lokallag", row.unit.name))
    interest = session.scalars(
        select(Group)
        .where(Group.id.in_(sorted(viewer.memberships)), Group.kind == "interest")
        .where(Group.status.in_(LIVE_STATUSES), visible_clause(session, member))
        .order_by(Group.own_name)
    ).unique()
    cards = _location_cards(session, viewer, rows, members_only=True)
    cards += _interest_cards(session, member, viewer, list(interest), members_only=True)
    return _with_unread(session, member, cards)


def directory(
    session: Session,
    member: Member,
    *,
    kind: str = "",
    my_fylke: bool = False,
    archived: bool = False,
) -> list[GroupCard]:
    """Every group the member may know of: location groups, then interest groups.

    kind: "" (all), "lokal" (location) or "interesse"; my_fylke: only the member's
    fylkeslag, its lokallag and interest groups scoped to them; archived: the archive instead.
    """
    viewer = Viewer.of(session, member)
    fylke = place_of(member).fylkeslag_id
    cards: list[GroupCard] = []
    if kind in ("", "lokal") and (fylke or not my_fylke):
        where = OrgUnit.removed_at.is_not(None) if archived else OrgUnit.removed_at.is_(None)
        if my_fylke:
            where = where & or_(OrgUnit.id == fylke, OrgUnit.parent_id == fylke)
        rows = location_groups(session, where)
        rows.sort(key=lambda row: (row.unit.type != "fylkeslag", row.unit.name))
        cards += _location_cards(session, viewer, rows, members_only=False)
    if kind in ("", "interesse"):
        status = "archived" if archived else "active"
        groups = list(
            session.scalars(
                select(Group)
                .where(Group.kind == "interest", Group.status == status)
                .where(visible_clause(session, member))  # a hidden group is named to no outsider
                .order_by(Group.own_name)
            ).unique()
        )
        if my_fylke:
            groups = [
                g
                for g in groups
                if fylke
                and g.scope_unit is not None
                and fylke in (g.scope_unit.id, g.scope_unit.parent_id)
            ]
        cards += _interest_cards(session, member, viewer, groups, members_only=False)
    return _with_unread(session, member, cards)


def group_members(
    session: Session,
    group: Group,
    *,
    query: str = "",
    page: int = 1,
    after_number: int | None = None,
    limit: int | None = None,
) -> tuple[list[MemberCard], int]:
    """One page of the group's members by name, and how many match in all.

    With `limit` (the API's keyset pages): up to `limit` members by member number, those
    after `after_number`, instead of the numbered page by name."""
    if group.is_location:
        members = location_members([group.unit_id or ""])
    else:
        members = interest_members([group.id])
    base = select(Member).join(members, members.c.number == Member.number)
    if query.strip():
        pattern = f"%{query.strip().lower()}%"
        full = func.lower(Member.first_name + " " + Member.last_name)
        base = base.where(full.like(pattern))
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    ordered = (
        base.add_columns(MemberProfile, GroupAppointment.role)
        .outerjoin(MemberProfile, MemberProfile.member_number == Member.number)
        .outerjoin(
            GroupAppointment,
            (GroupAppointment.member_number == Member.number)
            & (GroupAppointment.group_id == group.id),
        )
    )
    if limit is not None:
        ordered = ordered.where(Member.number > (after_number or 0)).order_by(Member.number)
        ordered = ordered.limit(limit)
    else:
        ordered = (
            ordered.order_by(Member.last_name, Member.first_name, Member.number)
            .limit(MEMBERS_PER_PAGE)
            .offset((max(page, 1) - 1) * MEMBERS_PER_PAGE)
        )
    rows = session.execute(ordered).unique()
    cards = []
    for member, profile, appointed in rows:
        shows_email, shows_mobile = (
            (profile.show_email, profile.show_mobile) if profile else (False, False)
        )  # privacy by default: nothing shows until the member says so
        register_admin = group.is_location and any(
            p.role in ADMIN_ROLES and p.unit_id == group.unit_id for p in member.positions
        )
        cards.append(
            MemberCard(
                number=member.number,
                name=member.full_name,
                role="administrator" if register_admin else (appointed or "member"),
                about=profile.about if profile else "",
                email=member.email if shows_email else None,
                mobile=member.mobile if shows_mobile else None,
            )
        )
    return cards, total


def pending_requests(session: Session, group: Group) -> list[tuple[JoinRequest, Member]]:
    rows = session.execute(
        select(JoinRequest, Member)
        .join(Member, Member.number == JoinRequest.member_number)
        .where(JoinRequest.group_id == group.id, JoinRequest.status == "pending")
        .order_by(JoinRequest.created_at)
    ).unique()
    return [(join_request, member) for join_request, member in rows]


def invitations_for(session: Session, member: Member) -> list[Group]:
    """Interest groups the member is invited to and has not answered (within their scope)."""
    return list(
        session.scalars(
            select(Group)
            .join(Invitation, Invitation.group_id == Group.id)
            .where(Invitation.member_number == member.number, Invitation.status == "pending")
            .where(Group.status == "active", visible_clause(session, member))
            .order_by(Group.own_name)
        ).unique()
    )


def proposals(session: Session, *, proposer: Member | None = None) -> list[Group]:
    """Proposed interest groups awaiting a portal administrator (or one member's own)."""
    query = select(Group).where(Group.kind == "interest", Group.status == "proposed")
    if proposer is not None:
        query = query.where(Group.created_by == proposer.number)
    return list(session.scalars(query.order_by(Group.created_at)).unique())


def prime_standings(session: Session, member: Member, groups: Collection[Group]) -> None:
    """Work out the member's standing in all these groups at once (three queries), so that
    `access.can(…, "group.read", …)` and the rules built on it ask nothing more per group
    until the session next flushes. Gives the same answers as `service.standing`."""
    viewer = Viewer.of(session, member)
    place = place_of(member)
    cache = session.info.setdefault(service_cache_key(), {})
    for group in groups:
        cache[(member.number, group.id)] = _standing_from(viewer, place, group)


def _standing_from(viewer: Viewer, place: Place, group: Group) -> Standing:
    if group.is_location:
        if group.unit_id not in viewer.location_units:
            return Standing(False, None)
        if group.unit_id in viewer.admin_units:
            return Standing(True, "administrator")
        return Standing(True, viewer.appointments.get(group.id, "member"))
    in_scope = place.within(group.scope_unit_id)
    is_in = group.id in viewer.memberships and in_scope
    role = viewer.appointments.get(group.id, "member") if is_in else None
    return Standing(
        is_in, role, group.id in viewer.invitations, group.id in viewer.requests, in_scope
    )
