"""Who to log in as in the demo: one person per role, read from the synced register so the
list printed by `make run` is always true (the generator is seeded, so it is also stable)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from membersync.models import Member, Position

KARI = "kari.nordmann@example.no"  # lokallagsleder of Bergen lokallag
OLA = "ola.nordmann@example.no"  # the portal administrator


@dataclass(frozen=True)
class DemoLogin:
    name: str
    email: str
    role: str


def _by_email(session: Session, email: str) -> Member | None:
    return session.scalars(select(Member).where(Member.email == email)).first()


def demo_logins(session: Session) -> list[DemoLogin]:
    """An ordinary member, a lokallag leader, a fylkeslag leader and a portal administrator."""
    logins: list[DemoLogin] = []
    kari = _by_email(session, KARI)
    if kari is None or kari.lokallag is None:
        return logins
    ordinary = session.scalars(
        select(Member)
        .where(
            Member.lokallag_id == kari.lokallag_id,
            Member.status == "aktiv",
            Member.email.is_not(None),
            Member.email != "",
            ~Member.positions.any(),
        )
        .order_by(Member.number)
    ).first()
    if ordinary is not None:
        logins.append(
            DemoLogin(ordinary.full_name, ordinary.email or "", f"medlem i {kari.lokallag.name}")
        )
    logins.append(DemoLogin(kari.full_name, KARI, f"lokallagsleder i {kari.lokallag.name}"))
    fylke_id = kari.lokallag.parent_id
    fylke_leader = session.scalars(
        select(Member)
        .join(Position, Position.member_number == Member.number)
        .where(Position.role == "fylkesleder", Position.unit_id == fylke_id)
        .order_by(Member.number)
    ).first()
    if fylke_leader is not None and fylke_leader.email:
        where = kari.lokallag.parent.name if kari.lokallag.parent else fylke_id
        logins.append(
            DemoLogin(fylke_leader.full_name, fylke_leader.email, f"fylkesleder i {where}")
        )
    ola = _by_email(session, OLA)
    if ola is not None:
        logins.append(DemoLogin(ola.full_name, OLA, "portaladministrator (sentraladmin)"))
    return logins
