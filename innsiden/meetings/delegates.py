"""The delegate chain: a lokallag's årsmøte elects delegates and ranked substitutes to its
fylkeslag's årsmøte (a meeting under a profile with `delegates`), and they are that meeting's
roll. Never commits.

- Delegation size: the fylkesårsmøte's profile gives `delegate_base` plus one delegate per
  `delegate_per_members` members of the lokallag with access who joined by its cutoff day.
- Seated: of a lokallag's delegation (delegates by rank, then substitutes by rank), those who
  have not withdrawn fill the delegation's seats in that order; the rest are substitutes.
  So a delegate who withdraws is replaced by the first substitute still standing.
- The roll (`roll.compute` asks `roll_entries` for a delegates' meeting): seated delegates
  may vote, substitutes are listed without the vote. A withdrawal after the roll was
  computed changes the two lines at once; both are in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden import access, audit
from innsiden.errors import Conflict, NotFound
from innsiden.groups.membership import has_access_clause
from innsiden.groups.models import Group
from innsiden.meetings.models import Delegate, Election, Meeting, RollEntry
from innsiden.meetings.service import profile_of
from membersync.db import utcnow
from membersync.models import Member, OrgUnit


def _unit(session: Session, meeting: Meeting) -> OrgUnit | None:
    group = session.get(Group, meeting.group_id)
    return group.unit if group is not None else None


def target_meeting(
    session: Session, meeting: Meeting, to_meeting_id: int | None, errors: dict[str, str]
) -> Meeting | None:
    """The fylkesårsmøte a lokallag's meeting elects delegates to, if it is one."""
    to_meeting = session.get(Meeting, to_meeting_id) if to_meeting_id else None
    own, theirs = _unit(session, meeting), _unit(session, to_meeting) if to_meeting else None
    if (
        to_meeting is None
        or own is None
        or theirs is None
        or own.parent_id != theirs.id
        or not profile_of(session, to_meeting).delegates
    ):
        errors["to_meeting_id"] = _("Velg fylkeslagets årsmøte som delegatene velges til.")
        return None
    return to_meeting


def delegation_size(session: Session, to_meeting: Meeting, meeting: Meeting) -> int:
    """How many delegates the lokallag of `meeting` sends to `to_meeting`."""
    profile = profile_of(session, to_meeting)
    unit = _unit(session, meeting)
    assert unit is not None
    members = (
        session.scalar(
            select(func.count())
            .select_from(Member)
            .where(
                Member.lokallag_id == unit.id,
                has_access_clause(),
                (Member.joined_on.is_(None)) | (Member.joined_on <= to_meeting.cutoff_on),
            )
        )
        or 0
    )
    extra = members // profile.delegate_per_members if profile.delegate_per_members else 0
    return profile.delegate_base + extra


def record_elected(session: Session, actor: Member, election: Election) -> None:
    """Put the elected delegates (or substitutes, in their rank) on the delegation."""
    meeting = session.get(Meeting, election.meeting_id)
    to_meeting = session.get(Meeting, election.to_meeting_id) if election.to_meeting_id else None
    unit = _unit(session, meeting) if meeting else None
    if meeting is None or to_meeting is None or unit is None:
        return
    role = "delegate" if election.kind == "delegates" else "substitute"
    rank = (
        session.scalar(
            select(func.max(Delegate.rank)).where(
                Delegate.to_meeting_id == to_meeting.id,
                Delegate.unit_id == unit.id,
                Delegate.role == role,
            )
        )
        or 0
    )
    present = set(
        session.scalars(
            select(Delegate.member_number).where(Delegate.to_meeting_id == to_meeting.id)
        )
    )
    for number in election.elected or []:
        if number in present:
            continue
        rank += 1
        session.add(
            Delegate(
                to_meeting_id=to_meeting.id,
                from_meeting_id=meeting.id,
                unit_id=unit.id,
                member_number=number,
                role=role,
                rank=rank,
            )
        )
    session.flush()
    audit.record(
        session,
        "meeting.delegates_elected",
        actor_number=actor.number,
        target=f"meeting:{to_meeting.id}",
        from_meeting_id=meeting.id,
        role=role,
        members=list(election.elected or []),
    )
    if to_meeting.roll_state == "open":
        from innsiden.meetings import roll

        roll.compute(session, to_meeting)


@dataclass(frozen=True)
class Seat:
    """One line of a delegation as it stands now."""

    delegate: Delegate
    seated: bool  # votes at the meeting
    order: int  # 1.. within the unit: seated first, then substitutes in rank


def delegation(session: Session, to_meeting: Meeting) -> dict[str, list[Seat]]:
    """Every lokallag's delegation to `to_meeting`, unit id → seats in order."""
    rows = session.scalars(
        select(Delegate)
        .where(Delegate.to_meeting_id == to_meeting.id)
        .order_by(
            Delegate.unit_id, Delegate.role, Delegate.rank
        )  # "delegate" sorts before "substitute"
    )
    units: dict[str, list[Delegate]] = {}
    for row in rows:
        units.setdefault(row.unit_id, []).append(row)
    result: dict[str, list[Seat]] = {}
    for unit_id, members in units.items():
        size = sum(1 for d in members if d.role == "delegate")
        standing = [d for d in members if d.withdrawn_at is None]
        result[unit_id] = [Seat(d, i < size, i + 1) for i, d in enumerate(standing)]
    return result


def _reason(session: Session, code: str, unit_id: str, order: int) -> dict[str, object]:
    unit = session.get(OrgUnit, unit_id)
    return {
        "code": code,
        "unit_id": unit_id,
        "unit": unit.name if unit else unit_id,
        "order": order,
    }


def roll_entries(session: Session, to_meeting: Meeting) -> list[RollEntry]:
    """The roll of a delegates' meeting: seated delegates with the vote, substitutes without."""
    entries = []
    for unit_id, seats in delegation(session, to_meeting).items():
        for seat in seats:
            code = "delegate" if seat.seated else "substitute"
            entries.append(
                RollEntry(
                    member_number=seat.delegate.member_number,
                    eligible=seat.seated,
                    reasons=[_reason(session, code, unit_id, seat.order)],
                )
            )
    return entries


def withdraw(
    session: Session, actor: Member, to_meeting: Meeting, member_number: int, note: str = ""
) -> Delegate | None:
    """A delegate cannot attend: the delegate themself or those who manage the meeting withdraw
    them; the first substitute still standing takes the seat. Returns who took it."""
    row = session.scalar(
        select(Delegate).where(
            Delegate.to_meeting_id == to_meeting.id, Delegate.member_number == member_number
        )
    )
    if actor.number != member_number:
        access.require(session, actor, "meeting.manage", to_meeting, visible=True)
    if row is None:
        raise NotFound()
    if row.withdrawn_at is not None:
        raise Conflict(_("Delegaten har allerede trukket seg."))
    before = {
        s.delegate.member_number for s in delegation(session, to_meeting)[row.unit_id] if s.seated
    }
    row.withdrawn_at = utcnow()
    session.flush()
    seats = delegation(session, to_meeting).get(row.unit_id, [])
    after = {s.delegate.member_number for s in seats if s.seated}
    replaced_by = next(
        (s.delegate for s in seats if s.delegate.member_number in after - before), None
    )
    if to_meeting.roll_state != "none":
        _update_roll(session, to_meeting, row, seats)
    audit.record(
        session,
        "meeting.delegate_withdrawn",
        actor_number=actor.number,
        target=f"member:{member_number}",
        meeting_id=to_meeting.id,
        unit_id=row.unit_id,
        replaced_by=replaced_by.member_number if replaced_by else None,
        note=note.strip()[:500],
    )
    return replaced_by


def _update_roll(session: Session, to_meeting: Meeting, row: Delegate, seats: list[Seat]) -> None:
    gone = session.get(RollEntry, (to_meeting.id, row.member_number))
    if gone is not None:
        gone.eligible, gone.source = False, "delegate"
        gone.reasons = [_reason(session, "withdrawn", row.unit_id, 0)]
    for seat in seats:
        entry = session.get(RollEntry, (to_meeting.id, seat.delegate.member_number))
        code = "delegate" if seat.seated else "substitute"
        reasons = [_reason(session, code, row.unit_id, seat.order)]
        if entry is None:
            session.add(
                RollEntry(
                    meeting_id=to_meeting.id,
                    member_number=seat.delegate.member_number,
                    eligible=seat.seated,
                    reasons=reasons,
                    source="delegate",
                )
            )
        else:
            entry.eligible, entry.reasons, entry.source = seat.seated, reasons, "delegate"
    session.flush()
