"""Demo content: three interest groups (open, closed, hidden) with members, an invitation
for Kari Nordmann and a join request waiting in the closed group."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.demo import seeder
from innsiden.groups.membership import has_access_clause
from innsiden.groups.models import Group, GroupAppointment, GroupMembership, Invitation, JoinRequest
from membersync.models import Member, Position

DEMO_GROUPS = (
    ("Klima og miljø", "open", "Om klima, natur og miljøpolitikk. Alle er velkomne."),
    ("Landbruk", "closed", "For medlemmer som jobber med eller i landbruket."),
    ("Valgkampstab 2027", "hidden", "Planlegging av valgkampen 2027. Bare for inviterte."),
)


@seeder("groups")
def seed_groups(session: Session) -> None:
    """Idempotent: groups that exist already (by name) are left as they are."""
    existing = set(session.scalars(select(Group.own_name).where(Group.kind == "interest")))
    admin = session.scalar(select(Position.member_number).where(Position.role == "sentraladmin"))
    numbers = list(
        session.scalars(
            select(Member.number).where(has_access_clause()).order_by(Member.number).limit(40)
        )
    )
    if admin is None or not numbers:
        return
    kari = numbers[0]
    for index, (name, visibility, description) in enumerate(DEMO_GROUPS):
        if name in existing:
            continue
        group = Group(
            kind="interest",
            own_name=name,
            visibility=visibility,
            description=description,
            status="active",
            created_by=admin,
        )
        session.add(group)
        session.flush()
        members = {admin, *numbers[2 + index * 6 : 10 + index * 6]}
        if visibility != "hidden":
            members.add(kari)
        for number in sorted(members):
            session.add(GroupMembership(group_id=group.id, member_number=number))
        session.add(
            GroupAppointment(
                group_id=group.id, member_number=admin, role="administrator", appointed_by=admin
            )
        )
        if visibility == "closed":
            session.add(
                JoinRequest(
                    group_id=group.id, member_number=numbers[-1], message="Jeg driver gård på Voss."
                )
            )
        if visibility == "hidden":
            session.add(Invitation(group_id=group.id, member_number=kari, invited_by=admin))
    session.flush()
