"""The register's member list of a lokallag or fylkeslag, for the unit's leaders only.

Membership of a party or union is special-category personal data (GDPR art. 9), so every
look at the list and every export is written to the audit log in the same transaction that
reads it: callers must commit the session before showing or sending the rows (a failed
audit write means nothing is shown). The rule is "group.view_member_list".
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from innsiden import access, audit
from innsiden.errors import NotFound
from innsiden.groups.membership import UNIT_LIST_ROLES
from innsiden.groups.models import LOCATION_KINDS
from membersync.models import STATUSES, Member, OrgUnit

WITH_ACCESS = ("aktiv", "restanse")
PURPOSES = ("view", "csv", "xlsx")


@dataclass(frozen=True)
class UnitListFilter:
    """status: "" (members with access), "alle", or one register status; query: part of a
    name, a member number or an e-mail; lokallag_id: one lokallag of a fylkeslag."""

    status: str = ""
    query: str = ""
    lokallag_id: str = ""

    def statuses(self) -> tuple[str, ...]:
        if self.status == "alle":
            return STATUSES
        return (self.status,) if self.status in STATUSES else WITH_ACCESS


def unit_for_list(session: Session, actor: Member, unit_id: str) -> OrgUnit:
    """The unit, if the actor may see its member list (403 if not: the unit is no secret)."""
    unit = session.get(OrgUnit, unit_id)
    if unit is None or unit.type not in ("lokallag", "fylkeslag"):
        raise NotFound()
    access.require(session, actor, "group.view_member_list", unit, visible=True)
    return unit


def units_with_list(session: Session, member: Member) -> list[OrgUnit]:
    """The lokallag and fylkeslag whose member list this member's positions open."""
    ids = {p.unit_id for p in member.positions if p.role in UNIT_LIST_ROLES}
    if not ids:
        return []
    query = select(OrgUnit).where(OrgUnit.id.in_(sorted(ids)), OrgUnit.type.in_(LOCATION_KINDS))
    return list(session.scalars(query.order_by(OrgUnit.name)).unique())


def lokallag_of(session: Session, unit: OrgUnit) -> list[OrgUnit]:
    """A fylkeslag's lokallag (for the filter); a lokallag has none."""
    if unit.type != "fylkeslag":
        return []
    query = select(OrgUnit).where(OrgUnit.parent_id == unit.id, OrgUnit.type == "lokallag")
    return list(session.scalars(query.order_by(OrgUnit.name)).unique())


def member_list(
    session: Session, actor: Member, unit_id: str, filters: UnitListFilter, purpose: str
) -> tuple[OrgUnit, list[Member]]:
    """The unit's members as the register has them, and an audit entry saying who looked."""
    unit = unit_for_list(session, actor, unit_id)
    members = session.scalars(_query(unit, filters)).unique().all()
    action = "groups.member_list_viewed" if purpose == "view" else "groups.member_list_exported"
    audit.record(
        session,
        action,
        actor_number=actor.number,
        target=f"unit:{unit.id}",
        format=purpose,
        count=len(members),
        status=filters.status,
        query=filters.query,
        lokallag_id=filters.lokallag_id,
        # Who was on the list, so each member finds the look in their own data export.
        member_numbers=[m.number for m in members],
    )
    session.flush()
    return unit, list(members)


def _query(unit: OrgUnit, filters: UnitListFilter) -> Select[tuple[Member]]:
    query = select(Member).where(Member.in_register.is_(True))
    if unit.type == "fylkeslag":
        children = select(OrgUnit.id).where(OrgUnit.parent_id == unit.id).scalar_subquery()
        query = query.where(or_(Member.lokallag_id == unit.id, Member.lokallag_id.in_(children)))
        if filters.lokallag_id:
            query = query.where(Member.lokallag_id == filters.lokallag_id)
    else:
        query = query.where(Member.lokallag_id == unit.id)
    query = query.where(Member.status.in_(filters.statuses()))
    text = filters.query.strip().lower()
    if text.isdigit():
        query = query.where(Member.number == int(text))
    elif text:
        full = func.lower(Member.first_name + " " + Member.last_name)
        query = query.where(or_(full.like(f"%{text}%"), func.lower(Member.email) == text))
    return query.order_by(Member.last_name, Member.first_name, Member.number)


def export_header() -> list[str]:
    return [
        _("Medlemsnummer"),
        _("Fornavn"),
        _("Etternavn"),
        _("E-post"),
        _("Mobil"),
        _("Adresse"),
        _("Postnummer"),
        _("Poststed"),
        _("Lokallag"),
        _("Status"),
        _("Innmeldt"),
        _("Betalt til"),
    ]


def export_row(member: Member) -> list[object]:
    return [
        member.number,
        member.first_name,
        member.last_name,
        member.email or "",
        member.mobile or "",
        member.address or "",
        member.postal_code or "",
        member.postal_place or "",
        member.lokallag.name if member.lokallag else "",
        member.status,
        member.joined_on.isoformat() if member.joined_on else "",
        member.paid_until.isoformat() if member.paid_until else "",
    ]
