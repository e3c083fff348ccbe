"""The plan: what must change in the mirror to make it say what the register says."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from membersync.access import STATUSES_WITH_ACCESS
from membersync.models import Member, OrgUnit, Position
from membersync.records import MEMBER_FIELDS, MemberRecord, Mode, RegisterData, UnitRecord

Progress = Callable[[str, int, int], None]
Positions = tuple[tuple[str, str], ...]

MEMBER_KINDS = (
    "created", "updated", "moved", "positions_changed", "deactivated", "reactivated",
)  # fmt: skip
# unit_reparented is a move (a lokallag to another fylkeslag); unit_merged is a unit the
# register merged into another (erstattet_av), unit_split a new unit split from one (delt_fra).
UNIT_KINDS = (
    "unit_created", "unit_renamed", "unit_reparented", "unit_removed", "unit_merged",
    "unit_split",
)  # fmt: skip
KINDS = MEMBER_KINDS + UNIT_KINDS
# Core columns: plain rows, without the ORM's per-row loading work.
_MEMBERS = Member.__table__.c
_COLUMNS = [_MEMBERS[name] for name in MEMBER_FIELDS]
_STATUS = 2 + MEMBER_FIELDS.index("status")  # in rows of (number, in_register, *fields)


@dataclass(slots=True)
class Change:
    """One thing a run changes: a member (number) or a unit (unit_id), and how."""

    kind: str
    number: int | None = None
    unit_id: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        subject = str(self.number) if self.number is not None else f"enhet {self.unit_id}"
        details = ", ".join(f"{k}: {_show(v)}" for k, v in self.detail.items())
        return f"{subject} ({details})" if details else subject


def _show(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    return "–" if value is None else str(value)


@dataclass
class Plan:
    """Every write a run will make, and the change records describing them."""

    mode: Mode
    creates: list[MemberRecord] = field(default_factory=list)
    writes: list[MemberRecord] = field(default_factory=list)  # existing rows to overwrite
    leaves: list[int] = field(default_factory=list)  # no longer in the register
    epoch_bumps: list[int] = field(default_factory=list)  # every credential ends
    position_sets: dict[int, Positions] = field(default_factory=dict)
    unit_inserts: list[UnitRecord] = field(default_factory=list)  # parents first
    unit_writes: list[UnitRecord] = field(default_factory=list)
    unit_removals: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)  # all but "created" members
    unit_names: dict[str, str] = field(default_factory=dict)  # for the reshape report
    with_access: int = 0  # members with access before the run
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        counted = Counter(change.kind for change in self.changes)
        counted["created"] = len(self.creates)
        return {kind: counted.get(kind, 0) for kind in KINDS}

    @property
    def removals(self) -> int:
        """How many members would lose access."""
        return sum(1 for change in self.changes if change.kind == "deactivated")

    @property
    def is_empty(self) -> bool:
        return not (self.creates or self.changes or self.writes or self.leaves)

    def created_changes(self) -> Iterator[Change]:
        for record in self.creates:
            yield Change("created", number=record.number, detail={"lokallag": record.lokallag_id})

    def preview(self, rows: int) -> dict[str, list[str]]:
        """The first `rows` changes of each kind, as text."""
        shown: dict[str, list[str]] = {}
        for change in _chain(self.created_changes(), self.changes):
            lines = shown.setdefault(change.kind, [])
            if len(lines) < rows:
                lines.append(change.describe())
        return shown


def _chain(*parts: Iterable[Change]) -> Iterator[Change]:
    for part in parts:
        yield from part


def build_plan(
    session: Session, data: RegisterData, batch_size: int, progress: Progress | None = None
) -> Plan:
    """Compare `data` with the mirror (read in batches of `batch_size` members)."""
    plan = Plan(mode=data.mode)
    if data.units is not None:
        _plan_units(session, data, plan)
    positions = _mirror_positions(session, data)
    scan = _plan_members(session, data, positions, plan, batch_size, progress)
    _plan_leavers(session, data, positions, plan, scan)
    return plan


# --- units -------------------------------------------------------------------------------


def _plan_units(session: Session, data: RegisterData, plan: Plan) -> None:
    assert data.units is not None
    mirror = {row.id: row for row in session.execute(select(OrgUnit.__table__)).all()}
    plan.unit_names = {unit_id: row.name for unit_id, row in mirror.items()}
    plan.unit_names |= {unit.id: unit.name for unit in data.units}
    for unit in data.units:
        old = mirror.get(unit.id)
        if unit.replaced_by:
            _plan_merge(plan, unit, old)
            continue
        if old is None:
            plan.unit_inserts.append(unit)
            plan.changes.append(Change("unit_created", unit_id=unit.id, detail={"navn": unit.name}))
        elif old.removed_at is not None:
            plan.unit_writes.append(unit)
            detail = {"navn": unit.name, "gjenopprettet": True}
            plan.changes.append(Change("unit_created", unit_id=unit.id, detail=detail))
        else:
            _plan_unit_update(plan, unit, old.name, old.parent_id, old.type)
        if unit.split_from and (old is None or old.removed_at is not None):
            detail = {"navn": unit.name, "fra": unit.split_from}
            detail["fra_navn"] = plan.unit_names.get(unit.split_from)
            plan.changes.append(Change("unit_split", unit_id=unit.id, detail=detail))
    exported = {unit.id for unit in data.units} | data.protected_units
    for unit_id, old in mirror.items():
        if old.removed_at is None and unit_id not in exported:
            plan.unit_removals.append(unit_id)
            plan.changes.append(Change("unit_removed", unit_id=unit_id, detail={"navn": old.name}))
    plan.unit_inserts.sort(key=lambda unit: _depth(unit, {u.id: u for u in plan.unit_inserts}))


def _plan_merge(plan: Plan, unit: UnitRecord, old: Any) -> None:
    """A unit the register merged into another: removed (kept, as every removed unit is),
    recorded once as merged, so the portal can carry its group's content over."""
    if old is not None and old.removed_at is not None:
        return  # merged in an earlier run; later exports may still list it
    if old is None:
        plan.unit_inserts.append(unit)  # never mirrored: kept for the record all the same
    plan.unit_removals.append(unit.id)
    target = unit.replaced_by
    detail = {"navn": unit.name, "til": target, "til_navn": plan.unit_names.get(str(target))}
    plan.changes.append(Change("unit_merged", unit_id=unit.id, detail=detail))


def _plan_unit_update(
    plan: Plan, unit: UnitRecord, name: str, parent_id: str | None, type_: str
) -> None:
    if name != unit.name:
        detail = {"fra": name, "til": unit.name}
        plan.changes.append(Change("unit_renamed", unit_id=unit.id, detail=detail))
    if parent_id != unit.parent_id or type_ != unit.type:
        detail = {"fra": parent_id, "til": unit.parent_id}
        if type_ != unit.type:
            detail |= {"type_fra": type_, "type_til": unit.type}
        plan.changes.append(Change("unit_reparented", unit_id=unit.id, detail=detail))
    if name != unit.name or parent_id != unit.parent_id or type_ != unit.type:
        plan.unit_writes.append(unit)


def _depth(unit: UnitRecord, new_units: dict[str, UnitRecord]) -> int:
    depth = 0
    while unit.parent_id in new_units and depth <= len(new_units):
        unit = new_units[unit.parent_id]
        depth += 1
    return depth


# --- members -----------------------------------------------------------------------------


def _mirror_positions(session: Session, data: RegisterData) -> dict[int, Positions]:
    query = select(Position.member_number, Position.role, Position.unit_id)
    if data.mode == "single":
        numbers = {m.number for m in data.members} | data.removed_numbers
        query = query.where(Position.member_number.in_(numbers))
    found: dict[int, list[tuple[str, str]]] = {}
    for number, role, unit_id in session.execute(query):
        found.setdefault(number, []).append((role, unit_id))
    return {number: tuple(sorted(pairs)) for number, pairs in found.items()}


@dataclass
class _Scan:
    """What the batched read of the mirror saw besides the exported members."""

    unlisted: list[tuple[int, str]] = field(default_factory=list)  # in the register, not listed
    with_access: int = 0
    low: int | None = None  # the number range the batches covered
    high: int | None = None


def _plan_members(
    session: Session,
    data: RegisterData,
    positions: dict[int, Positions],
    plan: Plan,
    batch_size: int,
    progress: Progress | None,
) -> _Scan:
    records = sorted(data.members, key=lambda record: record.number)
    scan = _Scan()
    if records:
        scan.low, scan.high = records[0].number, records[-1].number
    for start in range(0, len(records), batch_size):
        batch = records[start : start + batch_size]
        # Sorted batches cover disjoint number ranges: each mirror row is read once.
        query = select(_MEMBERS.number, _MEMBERS.in_register, *_COLUMNS).where(
            _MEMBERS.number.between(batch[0].number, batch[-1].number)
        )
        mirror = {row[0]: row for row in session.execute(query).all()}
        for record in batch:
            old = mirror.pop(record.number, None)
            if old is None:
                plan.creates.append(record)
                continue
            _count_access(scan, old)
            old_positions = positions.get(record.number, ())
            # Most members are unchanged: one tuple comparison settles it.
            if old[1] and old[2:] == record.values() and old_positions == record.positions:
                plan.unchanged += 1
            else:
                _compare(record, old[1], tuple(old[2:]), old_positions, plan)
        for number, old in mirror.items():  # in the range, but not in this export
            if old[1]:
                _count_access(scan, old)
                scan.unlisted.append((number, old[_STATUS]))
        if progress:
            progress("plan", min(start + batch_size, len(records)), len(records))
    return scan


def _count_access(scan: _Scan, old: Any) -> None:
    if old[1] and old[_STATUS] in STATUSES_WITH_ACCESS:
        scan.with_access += 1


def _compare(
    record: MemberRecord,
    in_register: bool,
    old: tuple[Any, ...],
    old_positions: Positions,
    plan: Plan,
) -> None:
    new = record.values()
    changed = [name for name, a, b in zip(MEMBER_FIELDS, old, new, strict=True) if a != b]
    if not in_register:
        changed.append("in_register")
    status_index = MEMBER_FIELDS.index("status")
    had_access = in_register and old[status_index] in STATUSES_WITH_ACCESS
    has_access = record.status in STATUSES_WITH_ACCESS
    number = record.number
    if changed:
        plan.writes.append(record)
    elif old_positions == record.positions:
        plan.unchanged += 1
        return
    if had_access != has_access:
        kind = "reactivated" if has_access else "deactivated"
        reason = "status" if in_register else "tilbake i registeret"
        detail = {"fra": old[status_index], "til": record.status, "grunn": reason}
        plan.changes.append(Change(kind, number=number, detail=detail))
        if not has_access:
            plan.epoch_bumps.append(number)
        changed = [name for name in changed if name not in {"status", "in_register"}]
    if "lokallag_id" in changed:
        lokallag_index = MEMBER_FIELDS.index("lokallag_id")
        detail = {"fra": old[lokallag_index], "til": record.lokallag_id}
        plan.changes.append(Change("moved", number=number, detail=detail))
        changed.remove("lokallag_id")
    if changed:
        plan.changes.append(Change("updated", number=number, detail={"felt": changed}))
    if old_positions != record.positions:
        _plan_positions(plan, number, old_positions, record.positions)


def _plan_positions(plan: Plan, number: int, old: Positions, new: Positions) -> None:
    plan.position_sets[number] = new
    detail = {
        "nye": [f"{role}@{unit}" for role, unit in new if (role, unit) not in old],
        "fjernet": [f"{role}@{unit}" for role, unit in old if (role, unit) not in new],
    }
    plan.changes.append(Change("positions_changed", number=number, detail=detail))


def _plan_leavers(
    session: Session, data: RegisterData, positions: dict[int, Positions], plan: Plan, scan: _Scan
) -> None:
    if data.mode == "full":
        rest = session.execute(_outside(scan)).all()
        plan.with_access = scan.with_access
        plan.with_access += sum(1 for _, status in rest if status in STATUSES_WITH_ACCESS)
        leavers = [
            (number, status)
            for number, status in [*scan.unlisted, *rest]
            if number not in data.protected_numbers
        ]
        reason = "mangler i eksporten"
    else:
        plan.with_access = _count_with_access(session)
        query = select(Member.number, Member.status).where(
            Member.in_register.is_(True), Member.number.in_(data.removed_numbers)
        )
        leavers = [tuple(row) for row in session.execute(query)] if data.removed_numbers else []
        reason = "fjernet fra registeret"
    for number, status in sorted(leavers):
        plan.leaves.append(number)
        if status in STATUSES_WITH_ACCESS:
            detail = {"fra": status, "til": None, "grunn": reason}
            plan.changes.append(Change("deactivated", number=number, detail=detail))
            plan.epoch_bumps.append(number)
        else:
            plan.changes.append(Change("updated", number=number, detail={"felt": ["in_register"]}))
        # Positions only the register can vouch for end with the membership record.
        if positions.get(number):
            _plan_positions(plan, number, positions[number], ())


def _outside(scan: _Scan) -> Select[tuple[int, str]]:
    """Members in the register whose numbers lie outside the range the batches read."""
    query = select(_MEMBERS.number, _MEMBERS.status).where(_MEMBERS.in_register.is_(True))
    if scan.low is None or scan.high is None:
        return query
    return query.where(or_(_MEMBERS.number < scan.low, _MEMBERS.number > scan.high))


def _count_with_access(session: Session) -> int:
    query = select(func.count()).where(
        Member.in_register.is_(True), Member.status.in_(STATUSES_WITH_ACCESS)
    )
    return session.execute(query).scalar_one()
