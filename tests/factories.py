"""Factories for register data: units and members as membersync would mirror them."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy.orm import Session

from membersync.models import Member, OrgUnit, Position

_numbers = itertools.count(500_001)


def make_unit(
    session: Session, id: str, name: str | None = None, type: str = "lokallag",
    parent: OrgUnit | str | None = None,
) -> OrgUnit:  # fmt: skip
    parent_id = parent.id if isinstance(parent, OrgUnit) else parent
    unit = OrgUnit(id=id, name=name or f"Enhet {id}", type=type, parent_id=parent_id)
    session.add(unit)
    session.flush()
    return unit


def make_member(
    session: Session,
    lokallag: OrgUnit | str | None = None,
    *,
    number: int | None = None,
    first_name: str = "Test",
    last_name: str | None = None,
    email: str | None = None,
    mobile: str | None = None,
    status: str = "aktiv",
    roles: list[str] | tuple[str, ...] = (),
) -> Member:
    """A member; `roles` are "ROLE@UNIT" strings as in the register's verv column."""
    number = number or next(_numbers)
    lokallag_id = lokallag.id if isinstance(lokallag, OrgUnit) else lokallag
    member = Member(
        number=number,
        first_name=first_name,
        last_name=last_name or f"Medlem{number}",
        email=email if email is not None else f"m{number}@example.no",
        mobile=mobile,
        lokallag_id=lokallag_id,
        status=status,
        joined_on=date(2020, 1, 1),
        paid_until=date(2026, 12, 31),
    )
    session.add(member)
    for verv in roles:
        role, _, unit_id = verv.partition("@")
        member.positions.append(Position(role=role, unit_id=unit_id))
    session.flush()
    return member


def make_small_organisation(session: Session) -> dict[str, OrgUnit]:
    """Central unit, two fylkeslag, three lokallag: enough for every cross-group test."""
    units = {"S": make_unit(session, "S", "Sentralt", "sentralt")}
    units["F01"] = make_unit(session, "F01", "Vestland fylkeslag", "fylkeslag", "S")
    units["F02"] = make_unit(session, "F02", "Oslo fylkeslag", "fylkeslag", "S")
    units["0001"] = make_unit(session, "0001", "Bergen lokallag", "lokallag", "F01")
    units["0002"] = make_unit(session, "0002", "Voss lokallag", "lokallag", "F01")
    units["0301"] = make_unit(session, "0301", "Oslo lokallag", "lokallag", "F02")
    return units
