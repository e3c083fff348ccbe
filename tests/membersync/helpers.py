"""Helpers for the membersync tests: small registers, runs, and a snapshot of the mirror."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from membersync import demo_register
from membersync.demo_register import DemoRegister
from membersync.models import Member, OrgUnit, Position
from membersync.sync import SyncOptions, SyncResult, run_sync


def small_register(members: int = 80, lokallag: int = 4, seed: int = 11) -> DemoRegister:
    return demo_register.generate(members, lokallag=lokallag, seed=seed)


def changed(register: DemoRegister) -> DemoRegister:
    """A copy to edit as the next export."""
    return copy.deepcopy(register)


def sync(factory: sessionmaker[Session], source: Path | str, **options: Any) -> SyncResult:
    options.setdefault("retry_backoff", 0)
    return run_sync(factory, str(source), SyncOptions(trigger="test", actor="pytest", **options))


def row_of(register: DemoRegister, number: int) -> dict[str, str]:
    return next(r for r in register.members if r["medlemsnummer"] == str(number))


def active_member_row(register: DemoRegister, *, without_positions: bool = True) -> dict[str, str]:
    """An ordinary member with access (not one of the two demo logins)."""
    return next(
        r
        for r in register.members[2:]
        if r["status"] == "aktiv" and r["epost"] and not (without_positions and r["verv"])
    )


def snapshot(session: Session) -> dict[str, Any]:
    """Everything the mirror says, without bookkeeping timestamps, to compare runs by."""
    session.commit()  # a fresh snapshot: see what the runs committed
    fields = (
        "first_name", "last_name", "email", "mobile", "address", "postal_code", "postal_place",
        "municipality", "lokallag_id", "status", "joined_on", "paid_until",
        "register_changed_at", "in_register", "access_epoch",
    )  # fmt: skip
    members = {
        m.number: tuple(getattr(m, name) for name in fields)
        for m in session.scalars(select(Member))
    }
    units = {
        u.id: (u.name, u.type, u.parent_id, u.removed_at is not None)
        for u in session.scalars(select(OrgUnit))
    }
    query = select(Position.member_number, Position.role, Position.unit_id)
    positions = sorted(tuple(row) for row in session.execute(query))
    return {"members": members, "units": units, "positions": positions}
