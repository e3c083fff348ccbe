"""Applying a plan: set-wise bulk writes keyed by member number, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import bindparam, delete, insert, update
from sqlalchemy.orm import Session

from membersync.access import end_credentials_of
from membersync.bulk import insert_rows
from membersync.models import Member, OrgUnit, Position, SyncChange
from membersync.plan import Change, Plan, Progress
from membersync.records import MEMBER_FIELDS, MemberRecord, UnitRecord

T = TypeVar("T")

# Core statements, executed with many parameter sets at once: the ORM's bulk helpers split
# batches by which values are None, which costs a statement per few rows.
MEMBERS = Member.__table__
_UPDATE_MEMBER = (
    update(MEMBERS)
    .where(MEMBERS.c.number == bindparam("key"))
    .values({name: bindparam(name) for name in (*MEMBER_FIELDS, "in_register", "synced_at")})
)
_LEAVE = (
    update(MEMBERS)
    .where(MEMBERS.c.number == bindparam("key"))
    .values(in_register=bindparam("in_register"), synced_at=bindparam("synced_at"))
)


def apply_plan(
    session: Session,
    plan: Plan,
    run_id: int,
    now: datetime,
    batch_size: int,
    progress: Progress | None = None,
) -> None:
    """Write every change of `plan`; the caller commits (all of it lands, or none)."""
    steps = _Steps(plan, batch_size, progress)
    _insert_units(session, plan.unit_inserts, now)
    _write_units(session, plan.unit_writes, now)
    for batch in steps.batches(plan.creates):
        insert_rows(session, MEMBERS, [_member_row(r, now) | {"access_epoch": 0} for r in batch])
    for batch in steps.batches(plan.writes):
        session.execute(_UPDATE_MEMBER, [_keyed(_member_row(r, now)) for r in batch])
    for batch in steps.batches(plan.leaves):
        rows = [{"key": n, "in_register": False, "synced_at": now} for n in batch]
        session.execute(_LEAVE, rows)
    # Deactivation ends every session, link and token the member holds, in this transaction.
    end_credentials_of(session, plan.epoch_bumps)
    _replace_positions(session, plan, steps)
    # Units go last: members have moved away from them by now.
    if plan.unit_removals:
        session.execute(
            update(OrgUnit)
            .where(OrgUnit.id.in_(plan.unit_removals))
            .values(removed_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    changes = _chain(plan.created_changes(), plan.changes)
    for batch in steps.batches(changes):
        insert_rows(session, SyncChange.__table__, [_change_row(c, run_id, now) for c in batch])


class _Steps:
    """Batches of work, reported to the progress callback as one count of rows written."""

    def __init__(self, plan: Plan, batch_size: int, progress: Progress | None) -> None:
        self.batch_size = batch_size
        self.progress = progress
        self.done = 0
        positions = len(plan.position_sets) + sum(len(r.positions) for r in plan.creates)
        self.total = (
            2 * len(plan.creates) + len(plan.writes) + len(plan.leaves) + len(plan.changes)
        ) + positions

    def batches(self, items: Iterable[T]) -> Iterator[list[T]]:
        iterator = iter(items)
        while batch := list(islice(iterator, self.batch_size)):
            yield batch
            self.advance(len(batch))

    def advance(self, rows: int) -> None:
        self.done += rows
        if self.progress:
            self.progress("apply", min(self.done, self.total), self.total)


def _chain(*parts: Iterable[Change]) -> Iterator[Change]:
    for part in parts:
        yield from part


def _member_row(record: MemberRecord, now: datetime) -> dict[str, Any]:
    return record.row() | {"in_register": True, "synced_at": now}


def _keyed(row: dict[str, Any]) -> dict[str, Any]:
    row["key"] = row.pop("number")
    return row


def _change_row(change: Change, run_id: int, now: datetime) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "kind": change.kind,
        "member_number": change.number,
        "unit_id": change.unit_id,
        "detail": change.detail,
        "created_at": now,
    }


def _insert_units(session: Session, units: Sequence[UnitRecord], now: datetime) -> None:
    # Parents come first in `units`, so each parent row exists before its children.
    if units:
        rows = [_unit_row(u) | {"created_at": now, "updated_at": now} for u in units]
        session.execute(insert(OrgUnit), rows)


def _write_units(session: Session, units: Sequence[UnitRecord], now: datetime) -> None:
    if units:
        rows = [_unit_row(u) | {"removed_at": None, "updated_at": now} for u in units]
        session.execute(update(OrgUnit), rows)


def _unit_row(unit: UnitRecord) -> dict[str, Any]:
    return {"id": unit.id, "name": unit.name, "type": unit.type, "parent_id": unit.parent_id}


def _replace_positions(session: Session, plan: Plan, steps: _Steps) -> None:
    numbers = list(plan.position_sets)
    for batch in steps.batches(numbers):
        session.execute(
            delete(Position)
            .where(Position.member_number.in_(batch))
            .execution_options(synchronize_session=False)
        )
    rows = [
        {"member_number": number, "role": role, "unit_id": unit_id}
        for number, positions in _chain_positions(plan)
        for role, unit_id in positions
    ]
    for batch in steps.batches(rows):
        insert_rows(session, Position.__table__, batch)


def _chain_positions(plan: Plan) -> Iterator[tuple[int, tuple[tuple[str, str], ...]]]:
    for record in plan.creates:
        if record.positions:
            yield record.number, record.positions
    yield from plan.position_sets.items()
