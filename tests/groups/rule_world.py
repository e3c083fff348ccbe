"""A generated organisation for checking that each access rule's per-object predicate and its
set-wise (SQL) form agree: every kind of member and group a rule distinguishes, many times.

Members: in a lokallag, attached to a fylkeslag, to the central unit, to no unit, in a unit
the register has removed; leaders holding positions elsewhere; a portal administrator; one
who left (no register access) and one an administrator suspended. Groups: every location
group (archived ones under a fylkeslag, under the central unit and with no parent, and
archives of a merged and a split lokallag, readable by their frozen former members), and
interest groups open, closed and hidden, for the whole organisation, a fylkeslag or a
lokallag, active, archived, proposed and declined, with random members and invitations
(pending, accepted, declined). Events in all of them, for the group, a fylkeslag or all.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.auth.models import Suspension
from innsiden.gatherings.models import Gathering
from innsiden.groups.anchors import location_groups
from innsiden.groups.models import Group, GroupFormerMember, GroupMembership, Invitation
from membersync.db import utcnow
from membersync.models import Member
from tests.factories import make_member, make_small_organisation, make_unit

SCOPES = (None, "F01", "F02", "0001", "0301", "GONE")
HOMES = ("0001", "0002", "0301", "F01", "F02", "S", None, "GONE", "LOST")


def build_world(db: Session, seed: int) -> None:
    """Fill the database with one generated world (commits)."""
    rng = random.Random(seed)
    _units(db)
    members = _members(db, rng)
    groups = _interest_groups(db, rng, members)
    for group in groups:
        _memberships(db, rng, group, members)
    db.commit()
    location = [db.get(Group, row.group_id) for row in location_groups(db)]
    db.commit()
    _reshaped(db, rng, [g for g in location if g is not None], members)
    _gatherings(db, rng, [g for g in location + groups if g is not None])
    db.commit()


def move_members(db: Session, seed: int) -> None:
    """The register moves about a third of the members to another unit (as a sync would)."""
    rng = random.Random(seed + 1)
    for member in db.scalars(select(Member)).unique():
        if rng.random() < 0.35:
            member.lokallag_id = rng.choice(HOMES)
    db.commit()


def _units(db: Session) -> None:
    make_small_organisation(db)
    gone = utcnow() - timedelta(days=30)
    make_unit(db, "GONE", "Nedlagt lokallag", "lokallag", "F01").removed_at = gone
    make_unit(db, "LOST", "Nedlagt fylkeslag", "fylkeslag", "S").removed_at = gone
    make_unit(db, "LOST1", "Lokallag i nedlagt fylke", "lokallag", "LOST").removed_at = gone
    make_unit(db, "ORPHAN", "Foreldreløst lag", "lokallag", None).removed_at = gone
    make_unit(db, "MERGED", "Sammenslått lag", "lokallag", "F01").removed_at = gone
    make_unit(db, "SPLIT", "Delt lag", "lokallag", "F02").removed_at = gone
    make_unit(db, "SPLIT2", "Delt, men tilbake", "lokallag", "F02")  # restored since
    db.flush()


def _reshaped(
    db: Session, rng: random.Random, location: list[Group], members: list[Member]
) -> None:
    """Merged and split lokallag: their archives are read by frozen lists of former members."""
    kinds = {"MERGED": "merged", "SPLIT": "split", "SPLIT2": "split"}
    for group in location:
        if group.unit_id in kinds:
            group.reshaped = kinds[group.unit_id]
            for member in rng.sample(members, len(members) // 3):
                db.add(GroupFormerMember(group_id=group.id, member_number=member.number))
    db.commit()


def _members(db: Session, rng: random.Random) -> list[Member]:
    members = [make_member(db, home) for home in HOMES for _ in range(2)]
    members += [
        make_member(db, "0001", roles=["nestleder@0002"]),
        make_member(db, "0301", roles=["fylkesleder@F01"]),
        make_member(db, None, roles=["lokallagsleder@GONE"]),
        make_member(db, "S", roles=["sentraladmin@S"]),
        make_member(db, "0001", status="utmeldt"),
    ]
    suspended = make_member(db, "0002")
    db.add(Suspension(member_number=suspended.number, reason="test"))
    members.append(suspended)
    for member in rng.sample(members, 2):
        member.in_register = False  # gone from the register's latest file
    db.flush()
    return members


def _interest_groups(db: Session, rng: random.Random, members: list[Member]) -> list[Group]:
    groups = []
    for n in range(30):
        group = Group(
            kind="interest",
            own_name=f"Gruppe {n}",
            visibility=("open", "closed", "hidden")[n % 3],
            scope_unit_id=rng.choice(SCOPES),
            status=rng.choice(("active", "active", "active", "archived", "proposed", "declined")),
            created_by=rng.choice(members).number,
        )
        db.add(group)
        groups.append(group)
    db.flush()
    return groups


def _memberships(db: Session, rng: random.Random, group: Group, members: list[Member]) -> None:
    for member in members:
        draw = rng.random()
        if draw < 0.25:
            db.add(GroupMembership(group_id=group.id, member_number=member.number))
        elif draw < 0.45:
            status = rng.choice(("pending", "pending", "accepted", "declined"))
            db.add(Invitation(group_id=group.id, member_number=member.number, status=status))


def _gatherings(db: Session, rng: random.Random, groups: list[Group]) -> None:
    start = utcnow() + timedelta(days=3)
    for n, group in enumerate(groups):
        audience = rng.choice(("group", "group", "organisation", "fylkeslag"))
        db.add(
            Gathering(
                group_id=group.id,
                title=f"Møte {n}",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                audience=audience,
                audience_unit_id=rng.choice(("F01", "F02")) if audience == "fylkeslag" else None,
            )
        )


def everyone(session: Session) -> list[Member]:
    return list(session.scalars(select(Member).order_by(Member.number)).unique())
