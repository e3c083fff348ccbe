"""Who a message goes to: the unit's members by the register's status now, narrowed by segment.

Every query here is set-wise (one SELECT of member numbers), so a fylkeslag of 20,000 members
is resolved in the database and streamed, never loaded whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session

from innsiden.desk.models import SEGMENTS
from innsiden.errors import ValidationFailed
from membersync.access import STATUSES_WITH_ACCESS
from membersync.models import Member, OrgUnit, Position


@dataclass(frozen=True)
class Segment:
    """A segment of a unit: all, restanse, new_since (joined on or after `since`), position
    (holds any position, or `role` when given)."""

    kind: str = "all"
    since: date | None = None
    role: str | None = None

    def checked(self) -> Segment:
        if self.kind not in SEGMENTS:
            raise ValidationFailed(fields={"segment": _("Velg hvem meldingen skal til.")})
        if self.kind == "new_since" and self.since is None:
            raise ValidationFailed(fields={"since": _("Velg en dato for nye medlemmer.")})
        return self

    def label(self) -> str:
        if self.kind == "restanse":
            return _("Medlemmer i restanse")
        if self.kind == "new_since" and self.since:
            return _("Nye medlemmer siden %(date)s", date=self.since.strftime("%d.%m.%Y"))
        if self.kind == "position":
            return _("Medlemmer med verv") + (f" ({self.role})" if self.role else "")
        return _("Alle medlemmer")

    def audit(self) -> dict[str, str | None]:
        return {
            "segment": self.kind,
            "since": self.since.isoformat() if self.since else None,
            "role": self.role,
        }


def unit_ids(session: Session, unit: OrgUnit) -> list[str]:
    """The unit and, for a fylkeslag, its lokallag: where its members' `lokallag_id` points."""
    if unit.type != "fylkeslag":
        return [unit.id]
    children = session.scalars(
        select(OrgUnit.id).where(OrgUnit.parent_id == unit.id, OrgUnit.type == "lokallag")
    ).all()
    return [unit.id, *children]


def in_unit(ids: list[str]) -> ColumnElement[bool]:
    """Members the register counts as members of the unit now (in the register, with access)."""
    return (
        Member.lokallag_id.in_(ids)
        & Member.in_register.is_(True)
        & Member.status.in_(STATUSES_WITH_ACCESS)
    )


def condition(segment: Segment, ids: list[str]) -> ColumnElement[bool]:
    clause = in_unit(ids)
    if segment.kind == "restanse":
        clause = clause & (Member.status == "restanse")
    elif segment.kind == "new_since" and segment.since is not None:
        clause = clause & (Member.joined_on >= segment.since)
    elif segment.kind == "position":
        held = select(Position.member_number).where(Position.member_number == Member.number)
        if segment.role:
            held = held.where(Position.role == segment.role)
        clause = clause & exists(held)
    return clause


def numbers(segment: Segment, ids: list[str]) -> Select[tuple[int]]:
    return select(Member.number).where(condition(segment, ids)).order_by(Member.number)


def count(session: Session, segment: Segment, ids: list[str]) -> int:
    return session.scalar(select(func.count(Member.number)).where(condition(segment, ids))) or 0


def roles_in_unit(session: Session, ids: list[str]) -> list[str]:
    """The positions held by the unit's members (for the segment choice)."""
    query = (
        select(Position.role)
        .join(Member, Member.number == Position.member_number)
        .where(in_unit(ids))
        .distinct()
        .order_by(Position.role)
    )
    return list(session.scalars(query))


def has_address(channel: str) -> ColumnElement[bool]:
    if channel == "email":
        return Member.email.is_not(None) & (Member.email != "")
    return Member.mobile.is_not(None) & (Member.mobile != "")
