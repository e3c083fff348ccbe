"""Validation: raw register rows into typed records, and a report of every rejected row."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from membersync.models import STATUSES, UNIT_TYPES
from membersync.phones import normalise_phone
from membersync.records import (
    MEMBER_COLUMNS,
    MemberRecord,
    RawRegister,
    RawRow,
    RegisterData,
    Rejection,
    UnitRecord,
)

UNIT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")
POSTAL_CODE = re.compile(r"[0-9]{4}")
MAX_NUMBER = 2**63 - 1
# The register writes timestamps with an offset; one written without is read as Norwegian time.
REGISTER_TIMEZONE = ZoneInfo("Europe/Oslo")


class BadRow(ValueError):
    """One problem with one field of a row."""


def validate(raw: RawRegister, mirror_units: Mapping[str, bool]) -> RegisterData:
    """Validate every row of `raw`. `mirror_units` maps the mirror's unit ids to "still active"."""
    data = RegisterData(source=raw.source, mode=raw.mode, units=None, members=[])
    replaced: dict[str, str] = {}
    if raw.units is None:
        known_units = {unit_id for unit_id, active in mirror_units.items() if active}
    else:
        data.units = _validate_units(raw.units, data, mirror_units)
        known_units = {unit.id for unit in data.units}
        known_units |= {u for u in data.protected_units if mirror_units.get(u)}
        replaced = {unit.id: unit.replaced_by for unit in data.units if unit.replaced_by}
    _validate_members(raw.members, known_units, data, replaced)
    return data


# --- units -------------------------------------------------------------------------------


def _validate_units(
    rows: Iterable[RawRow], data: RegisterData, mirror_units: Mapping[str, bool]
) -> list[UnitRecord]:
    candidates: dict[str, tuple[RawRow, UnitRecord]] = {}
    duplicates: set[str] = set()
    for row in rows:
        record = _unit_record(row, data)
        if record is None:
            continue
        if record.id in candidates:
            duplicates.add(record.id)
            first, _ = candidates[record.id]
            data.rejected.append(_reject(row, "enhets-id finnes flere ganger", record.id))
            data.rejected.append(_reject(first, "enhets-id finnes flere ganger", record.id))
            continue
        candidates[record.id] = (row, record)
    for unit_id in duplicates:
        candidates.pop(unit_id, None)
        data.protected_units.add(unit_id)
    _drop_orphans(candidates, data)
    _check_reshapes(candidates, mirror_units, data)
    return [record for _, record in candidates.values()]


def _unit_record(row: RawRow, data: RegisterData) -> UnitRecord | None:
    fields = row.fields
    key = (fields or {}).get("id", "").strip() or None
    problems = [row.problem] if row.problem else _unit_problems(fields or {})
    if problems:
        if key:
            data.protected_units.add(key)
        data.rejected.append(_reject(row, "; ".join(problems), key))
        return None
    assert fields is not None
    parent = fields.get("overordnet_id", "").strip() or None
    replaced_by = fields.get("erstattet_av", "").strip() or None
    split_from = fields.get("delt_fra", "").strip() or None
    return UnitRecord(
        fields["id"].strip(), fields["navn"].strip(), fields["type"].strip(), parent,
        replaced_by, split_from,
    )  # fmt: skip


def _unit_problems(fields: Mapping[str, str]) -> list[str]:
    problems = [f"mangler feltet «{name}»" for name in ("id", "navn", "type") if name not in fields]
    if problems:
        return problems
    unit_id, name, kind = fields["id"].strip(), fields["navn"].strip(), fields["type"].strip()
    if not UNIT_ID.fullmatch(unit_id):
        problems.append(f"ugyldig enhets-id «{unit_id}»" if unit_id else "mangler enhets-id")
    if not name:
        problems.append("mangler navn")
    elif len(name) > 200:  # the column's length
        problems.append("navnet er for langt")
    if kind not in UNIT_TYPES:
        problems.append(f"ugyldig type «{kind}»")
    if fields.get("overordnet_id", "").strip() == unit_id and unit_id:
        problems.append("enheten er sin egen overordnede")
    if fields.get("erstattet_av", "").strip() == unit_id and unit_id:
        problems.append("enheten er erstattet av seg selv")
    if fields.get("delt_fra", "").strip() == unit_id and unit_id:
        problems.append("enheten er delt fra seg selv")
    return problems


def _drop_orphans(candidates: dict[str, tuple[RawRow, UnitRecord]], data: RegisterData) -> None:
    """Reject units whose parent is not in the export or that are their own ancestor."""
    changed = True
    while changed:
        changed = False
        for unit_id, (row, _record) in list(candidates.items()):
            reason = _hierarchy_problem(unit_id, candidates)
            if reason:
                data.rejected.append(_reject(row, reason, unit_id))
                data.protected_units.add(unit_id)
                del candidates[unit_id]
                changed = True


def _hierarchy_problem(unit_id: str, candidates: dict[str, tuple[RawRow, UnitRecord]]) -> str:
    parent_id = candidates[unit_id][1].parent_id
    for _ in range(len(candidates)):
        if parent_id is None:
            return ""
        if parent_id not in candidates:
            return f"ukjent overordnet enhet «{parent_id}»"
        if parent_id == unit_id:
            return "enheten ligger under seg selv"
        parent_id = candidates[parent_id][1].parent_id
    return "enheten ligger under seg selv"


def _check_reshapes(
    candidates: dict[str, tuple[RawRow, UnitRecord]],
    mirror_units: Mapping[str, bool],
    data: RegisterData,
) -> None:
    """Reject merges in a ring or into a unit that is gone or unknown, and splits from a unit
    the register never had; resolve a chain of merges (A into B, B into C) to its end."""
    while True:
        # Judge every unit before dropping any, so each unit of a ring is told of the ring.
        problems = {}
        for unit_id, (_row, record) in candidates.items():
            reason = _merge_problem(unit_id, candidates, mirror_units)
            source = record.split_from
            if not reason and source and source not in candidates and source not in mirror_units:
                reason = f"delt fra en ukjent enhet «{source}»"
            if reason:
                problems[unit_id] = reason
        if not problems:
            break
        for unit_id, reason in problems.items():
            data.rejected.append(_reject(candidates[unit_id][0], reason, unit_id))
            data.protected_units.add(unit_id)
            del candidates[unit_id]
    for _row, record in candidates.values():
        if record.replaced_by:
            record.replaced_by = _merge_end(record.id, candidates)


def _merge_problem(
    unit_id: str,
    candidates: dict[str, tuple[RawRow, UnitRecord]],
    mirror_units: Mapping[str, bool],
) -> str:
    record = candidates[unit_id][1]
    seen = [unit_id]
    target = record.replaced_by
    while target is not None:
        if target in seen:
            return "ring i erstattet_av (" + " → ".join([*seen[seen.index(target) :], target]) + ")"
        if target not in candidates:
            if target in mirror_units:
                return f"slått sammen med en fjernet enhet «{target}»"
            return f"slått sammen med en ukjent enhet «{target}»"
        if candidates[target][1].type != record.type:
            return f"slått sammen med «{target}», som er en annen type enhet"
        seen.append(target)
        target = candidates[target][1].replaced_by
    return ""


def _merge_end(unit_id: str, candidates: dict[str, tuple[RawRow, UnitRecord]]) -> str:
    target = candidates[unit_id][1].replaced_by
    while target is not None and candidates[target][1].replaced_by:
        target = candidates[target][1].replaced_by
    assert target is not None
    return target


# --- members -----------------------------------------------------------------------------


def _validate_members(
    rows: Iterable[RawRow],
    known_units: set[str],
    data: RegisterData,
    replaced: Mapping[str, str],
) -> None:
    parser = _MemberParser(known_units, replaced)
    accepted: dict[int, MemberRecord] = {}
    # Where each readable member number was first seen (only that: rows are not kept).
    seen: dict[int, tuple[str, int]] = {}
    duplicates: set[int] = set()
    for row in rows:
        data.read_count += 1
        number, record, problems = parser.parse(row)
        if number is not None and number in seen:
            _reject_duplicate(row, seen[number], number, accepted, data)
            duplicates.add(number)
            continue
        if number is not None:
            seen[number] = (row.file, row.line)
        if problems or record is None:
            if number is not None:
                data.protected_numbers.add(number)
            key = str(number) if number is not None else None
            data.rejected.append(_reject(row, "; ".join(problems), key))
            continue
        accepted[record.number] = record
    data.members = list(accepted.values())
    data.protected_numbers |= duplicates


def _reject_duplicate(
    row: RawRow,
    first: tuple[str, int],
    number: int,
    accepted: dict[int, MemberRecord],
    data: RegisterData,
) -> None:
    # Which of two rows is right cannot be known: both are rejected, the mirror keeps its own.
    file, line = first
    reason = f"medlemsnummeret finnes flere ganger (også linje {line})"
    data.rejected.append(_reject(row, reason, str(number)))
    if accepted.pop(number, None) is not None:
        reason = f"medlemsnummeret finnes flere ganger (også linje {row.line})"
        data.rejected.append(Rejection(file, line, reason, str(number)))


class _MemberParser:
    """Turns one member row into a record; caches repeated values to save time and memory.

    Written straight through rather than as a table of checks: it runs once per member, and
    at 200,000 members every call it saves is noticed.
    """

    def __init__(self, known_units: set[str], replaced: Mapping[str, str]) -> None:
        self.known_units = known_units
        # A member the export still lists at a merged unit belongs to the unit it merged into.
        self.replaced = replaced
        self.shared: dict[str, str] = {}
        self.dates: dict[str, date | None] = {"": None}
        self.timestamps: dict[str, datetime | None] = {"": None}

    def parse(self, row: RawRow) -> tuple[int | None, MemberRecord | None, list[str]]:
        f = row.fields
        if f is None:
            return None, None, [row.problem or "uleselig rad"]
        number, problems = _member_number(f)
        missing = _missing_fields(f)
        if missing:
            return number, None, missing
        names = self._names(f, problems)
        email, mobile, postal_code = self._contact(f, problems)
        lokallag_id, status, joined_on, paid_until = self._membership(f, problems)
        changed_at, positions = self._history(f, problems)
        if problems or number is None or status is None:
            return number, None, problems
        first_name, last_name, address, postal_place, municipality = names
        record = MemberRecord(
            number, first_name, last_name, email, mobile, address, postal_code, postal_place,
            municipality, lokallag_id, status, joined_on, paid_until, changed_at, positions,
            row.line,
        )  # fmt: skip
        return number, record, []

    # Each step below reads a few fields, adds what is wrong to `problems` (every problem of
    # the row is reported at once) and returns None for a field it could not read.

    def _names(
        self, f: Mapping[str, str], problems: list[str]
    ) -> tuple[str, str, str | None, str | None, str | None]:
        first_name, last_name = f["fornavn"].strip(), f["etternavn"].strip()
        address = f["adresse"].strip() or None
        postal_place = self._share(f["poststed"].strip()) or None
        municipality = self._share(f["kommune"].strip()) or None
        if len(first_name) > 200 or len(last_name) > 200 or (address and len(address) > 300):
            problems.append("for lang verdi i navn eller adresse")
        if (postal_place and len(postal_place) > 100) or (municipality and len(municipality) > 100):
            problems.append("for lang verdi i poststed eller kommune")
        return first_name, last_name, address, postal_place, municipality

    def _contact(
        self, f: Mapping[str, str], problems: list[str]
    ) -> tuple[str | None, str | None, str | None]:
        email = mobile = postal_code = None
        try:
            email = _email(f["epost"])
        except BadRow as error:
            problems.append(str(error))
        try:
            mobile = _mobile(f["mobil"])
        except BadRow as error:
            problems.append(str(error))
        try:
            postal_code = self._postal_code(f["postnummer"])
        except BadRow as error:
            problems.append(str(error))
        return email, mobile, postal_code

    def _membership(
        self, f: Mapping[str, str], problems: list[str]
    ) -> tuple[str | None, str | None, date | None, date | None]:
        lokallag_id = status = joined_on = paid_until = None
        try:
            lokallag_id = self._unit(f["lokallag_id"])
        except BadRow as error:
            problems.append(str(error))
        try:
            status = self._status(f["status"])
        except BadRow as error:
            problems.append(str(error))
        try:
            joined_on = self._date(f["innmeldt"], "innmeldt")
        except BadRow as error:
            problems.append(str(error))
        try:
            paid_until = self._date(f["betalt_til"], "betalt_til")
        except BadRow as error:
            problems.append(str(error))
        return lokallag_id, status, joined_on, paid_until

    def _history(
        self, f: Mapping[str, str], problems: list[str]
    ) -> tuple[datetime | None, tuple[tuple[str, str], ...]]:
        changed_at = None
        positions: tuple[tuple[str, str], ...] = ()
        try:
            changed_at = self._timestamp(f["endret"])
        except BadRow as error:
            problems.append(str(error))
        try:
            positions = self._positions(f["verv"]) if f["verv"] else ()
        except BadRow as error:
            problems.append(str(error))
        return changed_at, positions

    def _share(self, value: str) -> str:
        # Values that repeat across members (statuses, unit ids, places) are kept once.
        return self.shared.setdefault(value, value)

    def _postal_code(self, value: str) -> str | None:
        value = value.strip()
        if value and not POSTAL_CODE.fullmatch(value):
            raise BadRow(f"ugyldig postnummer «{value}»")
        return self._share(value) if value else None

    def _unit(self, value: str) -> str | None:
        value = value.strip()
        if value and value not in self.known_units:
            raise BadRow(f"ukjent lokallag «{value}»")
        value = self.replaced.get(value, value)
        return self._share(value) if value else None

    def _status(self, value: str) -> str:
        value = value.strip().lower()
        if value not in STATUSES:
            raise BadRow(f"ugyldig status «{value}»" if value else "mangler status")
        return self._share(value)

    def _date(self, value: str, column: str) -> date | None:
        if value not in self.dates:
            try:
                self.dates[value] = date.fromisoformat(value.strip()) if value.strip() else None
            except ValueError:
                raise BadRow(f"ugyldig dato i {column} «{value.strip()}»") from None
        return self.dates[value]

    def _timestamp(self, value: str) -> datetime | None:
        if value not in self.timestamps:
            try:
                parsed = datetime.fromisoformat(value.strip()) if value.strip() else None
            except ValueError:
                raise BadRow(f"ugyldig tidspunkt i endret «{value.strip()}»") from None
            if parsed is not None and parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=REGISTER_TIMEZONE)
            self.timestamps[value] = parsed
        return self.timestamps[value]

    def _positions(self, value: str) -> tuple[tuple[str, str], ...]:
        positions: set[tuple[str, str]] = set()
        for part in value.split("|"):
            part = part.strip()
            if not part:
                continue
            role, at, unit_id = part.partition("@")
            role, unit_id = role.strip(), unit_id.strip()
            if not (at and role and unit_id) or len(role) > 64:  # the column's length
                raise BadRow(f"ugyldig verv «{part}» (ventet ROLLE@ENHET)")
            if unit_id not in self.known_units:
                raise BadRow(f"ukjent enhet i verv «{part}»")
            positions.add((self._share(role), self._share(unit_id)))
        return tuple(sorted(positions))


_REQUIRED = (
    "fornavn", "etternavn", "epost", "mobil", "adresse", "postnummer", "poststed", "kommune",
    "lokallag_id", "status", "innmeldt", "betalt_til", "verv", "endret",
)  # fmt: skip


def _missing_fields(fields: Mapping[str, str]) -> list[str]:
    """A problem per required field the row lacks (CSV rows have every field; JSON may not)."""
    if len(fields) >= len(MEMBER_COLUMNS):
        return []
    return [f"mangler feltet «{name}»" for name in _REQUIRED if name not in fields]


def _member_number(fields: Mapping[str, str]) -> tuple[int | None, list[str]]:
    text = fields.get("medlemsnummer", "").strip()
    if not text:
        return None, ["mangler medlemsnummer"]
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_NUMBER:
        return None, [f"ugyldig medlemsnummer «{text}»"]
    return int(text), []


def _email(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if len(value) > 320 or not EMAIL.fullmatch(value):  # the column's length
        raise BadRow(f"ugyldig e-postadresse «{value}»")
    return value.lower()


def _mobile(value: str) -> str | None:
    try:
        return normalise_phone(value)
    except ValueError:
        raise BadRow(f"ugyldig mobilnummer «{value.strip()}»") from None


def _reject(row: RawRow, reason: str, key: str | None) -> Rejection:
    return Rejection(file=row.file, line=row.line, reason=reason, key=key)
