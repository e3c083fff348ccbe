"""Anchor rows of location groups: a stable group id for every lokallag and fylkeslag.

A location group's row holds no membership, only an id (for content to point at) and
portal-side settings. Units appear in the mirror through any sync — cron, CLI, webhook — and
membersync knows nothing of groups, so the rows are made here, the first time anything asks
for a unit's group: every listing and lookup of location groups goes through
`location_groups()`, so a unit has its group the moment the sync that created it commits.

Making the missing rows is idempotent (insert, ignoring a row another process made first).
In a read-only session (a GET request) it runs in a short transaction of its own, so the
anchor survives although the request never commits; callers therefore take the ids from the
return value rather than reading the rows back through their own, older snapshot.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, insert, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from innsiden.events import DomainEvent
from innsiden.groups.models import LOCATION_KINDS, Group
from membersync.db import utcnow
from membersync.models import OrgUnit


@dataclass(frozen=True)
class LocationGroup:
    """A location group as listings need it: the unit from the mirror plus the group's id."""

    unit: OrgUnit
    group_id: int
    description: str


def location_groups(
    session: Session, where: ColumnElement[bool] | None = None
) -> list[LocationGroup]:
    """The location groups of the units matching `where` (on OrgUnit), anchoring new units."""
    query = (
        select(OrgUnit, Group.id, Group.description)
        .outerjoin(Group, Group.unit_id == OrgUnit.id)
        .where(OrgUnit.type.in_(LOCATION_KINDS), where if where is not None else true())
        .order_by(OrgUnit.name, OrgUnit.id)
    )
    rows = session.execute(query).unique().all()
    missing = [unit for unit, group_id, _d in rows if group_id is None]
    made = anchor(session, missing) if missing else {}
    return [
        LocationGroup(unit, group_id or made[unit.id], description or "")
        for unit, group_id, description in rows
    ]


def location_group_ids(session: Session, unit_ids: Collection[str]) -> dict[str, int]:
    """unit id → group id for those of `unit_ids` that are lokallag or fylkeslag."""
    if not unit_ids:
        return {}
    found = location_groups(session, OrgUnit.id.in_(sorted(set(unit_ids))))
    return {row.unit.id: row.group_id for row in found}


def anchor(session: Session, units: Collection[OrgUnit]) -> dict[str, int]:
    """Make the group rows of `units` that do not exist yet; unit id → group id."""
    values = [
        {
            "kind": u.type,
            "unit_id": u.id,
            "description": "",
            "status": "active",
            "created_at": utcnow(),
        }
        for u in units
    ]
    if _reads_only(session):
        # The request's own transaction is never committed; anchor in one that is.
        engine = session.get_bind().execution_options(sqlite_begin="IMMEDIATE")
        with engine.begin() as connection:
            return _insert(connection, values)
    return _insert(session.connection(), values)


def _reads_only(session: Session) -> bool:
    options = session.get_bind().get_execution_options()
    return options.get("sqlite_begin") == "DEFERRED"


def _insert(connection: Connection, values: list[dict[str, object]]) -> dict[str, int]:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    table = Group.__table__
    statement = dialect.insert(table).on_conflict_do_nothing(index_elements=["unit_id"])
    connection.execute(statement, values)
    unit_ids = [v["unit_id"] for v in values]
    rows = connection.execute(
        select(table.c.unit_id, table.c.id).where(table.c.unit_id.in_(unit_ids))
    )
    made = {unit_id: group_id for unit_id, group_id in rows}
    # In the same transaction as the rows, so search indexes the new groups (a row another
    # process made first is announced twice, which re-indexes it harmlessly).
    connection.execute(
        insert(DomainEvent),
        [{"name": "group.anchored", "payload": {"group_id": i}, "created_at": utcnow()}
         for i in made.values()],
    )  # fmt: skip
    return made
