"""Typed register records, rejected rows, and what a source hands to validation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, NamedTuple

Mode = Literal["full", "incremental", "single"]

# The register's columns as membersync reads them (format version 1). Nothing else is copied
# out of a source row, so columns outside the format never reach the database.
UNIT_COLUMNS = ("id", "navn", "type", "overordnet_id")
# Reshaping (format 1.1): a merged unit names the unit it was merged into, a unit made by a
# split names the unit it was split from. Optional: exports without them mean neither.
UNIT_RESHAPE_COLUMNS = ("erstattet_av", "delt_fra")
MEMBER_COLUMNS = (
    "medlemsnummer", "fornavn", "etternavn", "epost", "mobil", "adresse", "postnummer",
    "poststed", "kommune", "lokallag_id", "status", "innmeldt", "betalt_til", "verv", "endret",
)  # fmt: skip

# Member columns of the mirror that a sync compares and writes, in MemberRecord order.
MEMBER_FIELDS = (
    "first_name", "last_name", "email", "mobile", "address", "postal_code", "postal_place",
    "municipality", "lokallag_id", "status", "joined_on", "paid_until", "register_changed_at",
)  # fmt: skip


class RawRow(NamedTuple):
    """One row as a source read it: where it came from, and only the format's fields."""

    file: str
    line: int
    fields: Mapping[str, str] | None
    problem: str | None = None  # set when the row could not even be split into fields


@dataclass
class RawRegister:
    """What a reader produced: rows of units (None: units not part of this source) and members."""

    source: str
    mode: Mode
    units: Iterable[RawRow] | None
    members: Iterable[RawRow]


@dataclass(frozen=True, slots=True)
class Rejection:
    """A row that was not applied, with the file, line and reason an operator can act on."""

    file: str
    line: int
    reason: str
    key: str | None = None  # the member number or unit id, when it could be read

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "key": self.key, "reason": self.reason}

    def __str__(self) -> str:
        key = f" ({self.key})" if self.key else ""
        return f"{self.file}:{self.line}{key}: {self.reason}"


@dataclass(slots=True)
class UnitRecord:
    id: str
    name: str
    type: str
    parent_id: str | None
    replaced_by: str | None = None  # erstattet_av: merged into this unit (resolved to the end)
    split_from: str | None = None  # delt_fra: made by splitting this unit


@dataclass(slots=True)
class MemberRecord:
    number: int
    first_name: str
    last_name: str
    email: str | None
    mobile: str | None
    address: str | None
    postal_code: str | None
    postal_place: str | None
    municipality: str | None
    lokallag_id: str | None
    status: str
    joined_on: date | None
    paid_until: date | None
    register_changed_at: datetime | None
    positions: tuple[tuple[str, str], ...]  # sorted (role, unit id) pairs
    line: int = 0

    def values(self) -> tuple[Any, ...]:
        """The compared fields, in MEMBER_FIELDS order."""
        return (
            self.first_name, self.last_name, self.email, self.mobile, self.address,
            self.postal_code, self.postal_place, self.municipality, self.lokallag_id,
            self.status, self.joined_on, self.paid_until, self.register_changed_at,
        )  # fmt: skip

    def row(self) -> dict[str, Any]:
        """The mirror row for this member (without bookkeeping columns)."""
        return {"number": self.number, **dict(zip(MEMBER_FIELDS, self.values(), strict=True))}


@dataclass
class RegisterData:
    """A validated read of the register, ready to be compared with the mirror."""

    source: str
    mode: Mode
    units: list[UnitRecord] | None
    members: list[MemberRecord]
    rejected: list[Rejection] = field(default_factory=list)
    # Rows rejected but identifiable: never treated as "missing" (a bad row is not a resignation).
    protected_numbers: set[int] = field(default_factory=set)
    protected_units: set[str] = field(default_factory=set)
    # Members the register says are gone (the webhook's member.removed).
    removed_numbers: set[int] = field(default_factory=set)
    read_count: int = 0
