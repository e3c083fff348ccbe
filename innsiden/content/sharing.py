"""Deling: group administrators give members editor or reviewer at their group by hand,
and take it back. Roles the register gives are shown beside them but never stored."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access, events
from innsiden.content.models import GRANTABLE_ROLES, ContentRole
from innsiden.content.permissions import Place
from innsiden.content.roles import REVIEWER_POSITIONS
from innsiden.errors import ValidationFailed
from innsiden.groups.service import group_member_numbers
from membersync.models import Member, Position


@dataclass(frozen=True)
class Grant:
    member_number: int
    name: str
    role: str
    by_register: bool  # from a position: shown, not changeable here


def _place_filter(place: Place) -> object:
    if place.group is None:
        return ContentRole.group_id.is_(None)
    return ContentRole.group_id == place.group.id


def grants_at(session: Session, actor: Member, place: Place) -> list[Grant]:
    access.require(session, actor, "content.share", place, visible=True)
    rows = session.execute(
        select(ContentRole.member_number, ContentRole.role, Member.first_name, Member.last_name)
        .join(Member, Member.number == ContentRole.member_number)
        .where(_place_filter(place))
        .order_by(Member.first_name, Member.last_name)
    ).all()
    shown = [Grant(n, f"{first} {last}".strip(), r, False) for n, r, first, last in rows]
    unit_id = place.group.unit_id if place.group is not None else None
    if unit_id is not None:
        held = session.execute(
            select(Position.member_number, Member.first_name, Member.last_name)
            .join(Member, Member.number == Position.member_number)
            .where(Position.unit_id == unit_id, Position.role.in_(sorted(REVIEWER_POSITIONS)))
        ).all()
        shown += [Grant(n, f"{first} {last}".strip(), "reviewer", True) for n, first, last in held]
    return shown


def grant(session: Session, actor: Member, place: Place, member_number: int, role: str) -> None:
    access.require(session, actor, "content.share", place, visible=True)
    if role not in GRANTABLE_ROLES:
        raise ValidationFailed(fields={"role": _("Velg «kan skrive» eller «kan godkjenne».")})
    target = session.get(Member, member_number)
    in_place = place.group is None or (
        target is not None and member_number in group_member_numbers(session, place.group)
    )
    if target is None or not in_place:
        raise ValidationFailed(fields={"member": _("Bare medlemmer av gruppen kan få en rolle.")})
    exists = session.scalar(
        select(ContentRole.id).where(
            _place_filter(place), ContentRole.member_number == member_number,
            ContentRole.role == role,
        )
    )  # fmt: skip
    if exists is None:
        session.add(
            ContentRole(
                group_id=place.group_id, member_number=member_number, role=role,
                granted_by=actor.number,
            )
        )  # fmt: skip
        events.record(session, "content.role_granted", group_id=place.group_id,
                      member=member_number, role=role, by=actor.number)  # fmt: skip
    session.flush()


def revoke(session: Session, actor: Member, place: Place, member_number: int, role: str) -> None:
    access.require(session, actor, "content.share", place, visible=True)
    row = session.scalar(
        select(ContentRole).where(
            _place_filter(place), ContentRole.member_number == member_number,
            ContentRole.role == role,
        )
    )  # fmt: skip
    if row is not None:
        session.delete(row)
    session.flush()
