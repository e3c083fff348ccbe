"""What changed in a unit in a period, read from membersync's change records (`sync_change`):
new members, members who moved in or out, lapsed into restanse, and left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from innsiden import audit
from innsiden.desk import segments
from membersync.models import Member, OrgUnit, SyncChange, SyncRun

OSLO = ZoneInfo("Europe/Oslo")
KINDS = ("new", "moved_in", "moved_out", "lapsed", "left")


@dataclass(frozen=True)
class ChangeRow:
    kind: str  # one of KINDS
    at: datetime
    member: Member
    other_unit: str | None  # where they moved from or to

    @property
    def day(self) -> str:
        return self.at.astimezone(OSLO).strftime("%d.%m.%Y")


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Whole days in Oslo time, as UTC instants: [start 00:00, the day after end 00:00)."""
    return (
        datetime.combine(start, time.min, tzinfo=OSLO),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=OSLO),
    )


def changes(
    session: Session, actor: Member, unit: OrgUnit, start: date, end: date
) -> dict[str, list[ChangeRow]]:
    """The unit's member changes in [start, end] (Oslo days), each with its date and member."""
    ids = segments.unit_ids(session, unit)
    low, high = period_bounds(start, end)
    lokallag = SyncChange.detail["lokallag"].as_string()
    came_from = SyncChange.detail["fra"].as_string()
    went_to = SyncChange.detail["til"].as_string()
    query = (
        select(SyncChange, Member)
        .join(SyncRun, SyncRun.id == SyncChange.run_id)
        .join(Member, Member.number == SyncChange.member_number)
        .where(
            SyncRun.outcome == "applied",
            SyncChange.created_at >= low,
            SyncChange.created_at < high,
            or_(
                (SyncChange.kind == "created") & lokallag.in_(ids),
                (SyncChange.kind == "moved") & (came_from.in_(ids) | went_to.in_(ids)),
                SyncChange.kind.in_(("deactivated", "updated")) & Member.lokallag_id.in_(ids),
            ),
        )
        .order_by(SyncChange.created_at, SyncChange.id)
    )
    found: dict[str, list[ChangeRow]] = {kind: [] for kind in KINDS}
    for change, member in session.execute(query):
        row = _classify(change, member, set(ids))
        if row is not None:
            found[row.kind].append(row)
    audit.record(
        session,
        "desk.changes_viewed",
        actor_number=actor.number,
        target=f"unit:{unit.id}",
        start=start.isoformat(),
        end=end.isoformat(),
        count=sum(len(rows) for rows in found.values()),
    )
    session.flush()
    return found


def _classify(change: SyncChange, member: Member, ids: set[str]) -> ChangeRow | None:
    detail = change.detail or {}
    if change.kind == "created":
        return ChangeRow("new", change.created_at, member, None)
    if change.kind == "moved":
        if detail.get("til") in ids and detail.get("fra") not in ids:
            return ChangeRow("moved_in", change.created_at, member, detail.get("fra"))
        if detail.get("fra") in ids and detail.get("til") not in ids:
            return ChangeRow("moved_out", change.created_at, member, detail.get("til"))
        return None  # between two lokallag of the same fylkeslag
    if change.kind == "deactivated" and detail.get("til") != "restanse":
        return ChangeRow("left", change.created_at, member, None)
    if change.kind == "updated" and _lapsed(detail, member):
        return ChangeRow("lapsed", change.created_at, member, None)
    return None


def _lapsed(detail: dict[str, object], member: Member) -> bool:
    """The status changed and is restanse (the record names the fields, not the values; a
    member who has paid again since is no longer listed as lapsed)."""
    fields = detail.get("felt")
    status = detail.get("status")
    if isinstance(status, dict):  # should membersync one day record the values
        return status.get("til") == "restanse"
    return isinstance(fields, list) and "status" in fields and member.status == "restanse"
