"""The voting roll (manntall): computed from the register mirror at the cutoff, each line with
its reasons; complaints in a window, decided by the board; then frozen. Every change to a
line after it was computed is written to the audit log. Never commits.

States of a meeting's roll: "none" (not computed) → "open" (computed; complaints may be filed
until `complaints_until`; recomputing reads the mirror again but keeps decided lines) →
"frozen" (no sync changes it; only a logged correction does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, aliased

from innsiden import access, audit
from innsiden.errors import Conflict, NotFound, ValidationFailed
from innsiden.groups.membership import has_access_clause
from innsiden.groups.models import Group
from innsiden.i18n import date_pattern
from innsiden.jobs import job
from innsiden.meetings.models import Meeting, RollComplaint, RollEntry
from innsiden.meetings.profiles import StatuteProfile
from innsiden.meetings.service import OSLO, profile_of
from membersync.db import utcnow
from membersync.models import Member, OrgUnit

MAX_TEXT = 2000


# --- Who may vote, and why ----------------------------------------------------------------


def judge(member: Member, profile: StatuteProfile, cutoff: date, meeting_day: date) -> RollEntry:
    """One member's line: eligible or not, with every reason (codes a page turns into words)."""
    reasons: list[dict[str, Any]] = []
    ok = True
    if member.status in profile.voter_statuses:
        reasons.append({"code": "status", "status": member.status})
    else:
        ok = False
        reasons.append({"code": "status_not", "status": member.status})
    needed = _paid_needed(profile, cutoff)
    if needed is not None:
        paid = member.paid_until
        if paid is not None and paid >= needed:
            reasons.append({"code": "paid", "until": paid.isoformat()})
        else:
            ok = False
            reasons.append({"code": "unpaid", "until": paid.isoformat() if paid else None,
                            "needed": needed.isoformat()})  # fmt: skip
    if profile.min_membership_days:
        joined_by = meeting_day - timedelta(days=profile.min_membership_days)
        joined = member.joined_on
        if joined is not None and joined <= joined_by:
            reasons.append({"code": "member_since", "since": joined.isoformat()})
        else:
            ok = False
            reasons.append({"code": "too_new", "since": joined.isoformat() if joined else None,
                            "needed": joined_by.isoformat()})  # fmt: skip
    return RollEntry(member_number=member.number, eligible=ok, reasons=reasons)


def _paid_needed(profile: StatuteProfile, cutoff: date) -> date | None:
    if profile.dues == "cutoff":
        return cutoff
    if profile.dues == "previous_year_end":
        return date(cutoff.year - 1, 12, 31)
    return None


def reason_words(entry: RollEntry | None) -> str:
    """The line as the member reads it: "Du har stemmerett: aktiv, betalt til 31.12.2026"."""
    if entry is None:
        return _("Du står ikke i manntallet for dette møtet.")
    parts = [_reason_part(r) for r in entry.reasons]
    text = ", ".join(p for p in parts if p)
    if entry.eligible:
        return _("Du har stemmerett: %(reasons)s", reasons=text)
    return _("Du har ikke stemmerett: %(reasons)s", reasons=text)


def day_text(day: date) -> str:
    """A date as the reader's language writes it short ("31.12.2026", "31 Dec 2026")."""
    return format_date(day, date_pattern("date"))


def _day(iso: str | None) -> str:
    return day_text(date.fromisoformat(iso)) if iso else "–"


def _reason_part(reason: dict[str, Any]) -> str:
    code = reason.get("code")
    if code == "status":
        return str(reason["status"])
    if code == "status_not":
        return _("status «%(status)s» på skjæringsdatoen", status=reason["status"])
    if code == "paid":
        return _("betalt til %(day)s", day=_day(reason["until"]))
    if code == "unpaid":
        return _("kontingent betalt til %(day)s, men må være betalt til %(needed)s",
                 day=_day(reason["until"]), needed=_day(reason["needed"]))  # fmt: skip
    if code == "member_since":
        return _("medlem siden %(day)s", day=_day(reason["since"]))
    if code == "too_new":
        return _("innmeldt %(day)s, men må være innmeldt senest %(needed)s",
                 day=_day(reason["since"]), needed=_day(reason["needed"]))  # fmt: skip
    if code == "complaint_upheld":
        return _("klagen din på manntallet ble tatt til følge")
    if code == "delegate":
        return _("delegat nr. %(order)s fra %(unit)s", order=reason["order"], unit=reason["unit"])
    if code == "substitute":
        return _("vararepresentant nr. %(order)s fra %(unit)s", order=reason["order"],
                 unit=reason["unit"])  # fmt: skip
    if code == "withdrawn":
        return _("trukket seg som delegat fra %(unit)s", unit=reason["unit"])
    if code == "corrected":
        return _("rettet av styret: %(note)s", note=reason.get("note", ""))
    return ""


# --- Computing ----------------------------------------------------------------------------


def _unit_members(session: Session, unit: OrgUnit) -> list[Member]:
    """Members the register puts in the unit now (a fylkeslag: also its lokallag's members)."""
    lokallag = aliased(OrgUnit)
    query = (
        select(Member)
        .outerjoin(lokallag, lokallag.id == Member.lokallag_id)
        .where(has_access_clause())
        .where(or_(Member.lokallag_id == unit.id, lokallag.parent_id == unit.id))
        .order_by(Member.last_name, Member.first_name, Member.number)
    )
    return list(session.scalars(query).unique())


def compute(session: Session, meeting: Meeting, actor: Member | None = None) -> int:
    """Read the roll from the mirror (on or after the cutoff day). Lines already decided on a
    complaint or corrected are kept. Returns how many lines the roll has."""
    if actor is not None:
        access.require(session, actor, "meeting.manage", meeting, visible=True)
    if meeting.roll_state == "frozen":
        raise Conflict(_("Manntallet er låst. Bruk retting, som logges."))
    today = utcnow().astimezone(OSLO).date()
    if today < meeting.cutoff_on:
        raise Conflict(_("Manntallet kan beregnes fra skjæringsdatoen %(day)s.",
                         day=day_text(meeting.cutoff_on)))  # fmt: skip
    group = session.get(Group, meeting.group_id)
    assert group is not None and group.unit is not None
    profile = profile_of(session, meeting)
    meeting_day = meeting.starts_at.astimezone(OSLO).date()
    kept = set(session.scalars(select(RollEntry.member_number).where(
        RollEntry.meeting_id == meeting.id, RollEntry.source != "register")))  # fmt: skip
    session.execute(delete(RollEntry).where(
        RollEntry.meeting_id == meeting.id, RollEntry.source == "register"))  # fmt: skip
    lines = 0
    if profile.delegates:  # a delegates' meeting: the lokallag's delegates are its roll
        from innsiden.meetings import delegates

        entries = delegates.roll_entries(session, meeting)
    else:
        members = _unit_members(session, group.unit)
        entries = [judge(m, profile, meeting.cutoff_on, meeting_day) for m in members]
    for entry in entries:
        if entry.member_number in kept:
            continue
        entry.meeting_id = meeting.id
        session.add(entry)
        lines += 1
    meeting.roll_state = "open"
    meeting.roll_computed_at = utcnow()
    session.flush()
    total = lines + len(kept)
    audit.record(
        session, "meeting.roll_computed", actor_number=actor.number if actor else None,
        target=f"meeting:{meeting.id}", lines=total, cutoff=meeting.cutoff_on.isoformat(),
    )  # fmt: skip
    return total


@job("meetings.compute_rolls")
def compute_due_rolls(session: Session) -> int:
    """Compute the roll of every meeting whose cutoff day has come and has none yet."""
    today = utcnow().astimezone(OSLO).date()
    due = session.scalars(
        select(Meeting).where(Meeting.roll_state == "none", Meeting.cutoff_on <= today)
    )
    done = 0
    for meeting in due:
        compute(session, meeting)
        done += 1
    return done


# --- Reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RollLine:
    member: Member
    entry: RollEntry


def entry_of(session: Session, meeting: Meeting, member_number: int) -> RollEntry | None:
    return session.get(RollEntry, (meeting.id, member_number))


def lines(session: Session, actor: Member, meeting: Meeting) -> list[RollLine]:
    """The whole roll with names, for those who may see it; the view is audited."""
    access.require(session, actor, "meeting.roll", meeting)
    query = (
        select(Member, RollEntry)
        .join(RollEntry, RollEntry.member_number == Member.number)
        .where(RollEntry.meeting_id == meeting.id)
        .order_by(Member.last_name, Member.first_name, Member.number)
    )
    found = [RollLine(m, e) for m, e in session.execute(query).unique()]
    audit.record(session, "meeting.roll_viewed", actor_number=actor.number,
                 target=f"meeting:{meeting.id}", lines=len(found))  # fmt: skip
    return found


def complaints(session: Session, meeting: Meeting, member_number: int | None = None
               ) -> list[RollComplaint]:  # fmt: skip
    query = select(RollComplaint).where(RollComplaint.meeting_id == meeting.id)
    if member_number is not None:
        query = query.where(RollComplaint.member_number == member_number)
    return list(session.scalars(query.order_by(RollComplaint.filed_at, RollComplaint.id)))


# --- Complaints, freezing, corrections ----------------------------------------------------


def complaints_open(meeting: Meeting) -> bool:
    return meeting.roll_state == "open" and utcnow() <= meeting.complaints_until


def complain(session: Session, actor: Member, meeting: Meeting, text: str) -> RollComplaint:
    """A member objects to their own line on the roll, within the complaint window."""
    access.require(session, actor, "meeting.take_part", meeting)
    text = text.replace("\x00", "").strip()
    if not 1 <= len(text) <= MAX_TEXT:
        raise ValidationFailed(fields={"text": _("Skriv klagen (høyst 2000 tegn).")})
    if not complaints_open(meeting):
        raise Conflict(_("Klagefristen for manntallet er ute, eller manntallet er ikke klart."))
    pending = [c for c in complaints(session, meeting, actor.number) if c.status == "pending"]
    if pending:
        raise Conflict(_("Du har allerede en klage som venter på styrets avgjørelse."))
    complaint = RollComplaint(meeting_id=meeting.id, member_number=actor.number, text=text)
    session.add(complaint)
    session.flush()
    audit.record(session, "meeting.complaint_filed", actor_number=actor.number,
                 target=f"meeting:{meeting.id}", complaint_id=complaint.id)  # fmt: skip
    return complaint


def decide(session: Session, actor: Member, meeting: Meeting, complaint_id: int,
           upheld: bool, note: str) -> RollComplaint:  # fmt: skip
    """The board decides a complaint; upheld, the member is on the roll with the right to vote."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    complaint = session.get(RollComplaint, complaint_id)
    if complaint is None or complaint.meeting_id != meeting.id:
        raise NotFound()
    if complaint.status != "pending":
        raise Conflict(_("Klagen er allerede avgjort."))
    if meeting.roll_state != "open":
        raise Conflict(_("Klager kan bare avgjøres mens manntallet er åpent."))
    note = note.strip()
    if len(note) > MAX_TEXT:
        raise ValidationFailed(fields={"note": _("Begrunnelsen kan være høyst 2000 tegn.")})
    complaint.status = "upheld" if upheld else "rejected"
    complaint.decided_by = actor.number
    complaint.decided_at = utcnow()
    complaint.decision_note = note
    before = _snapshot(entry_of(session, meeting, complaint.member_number))
    if upheld:
        _set_line(session, meeting, complaint.member_number, True, "complaint",
                  {"code": "complaint_upheld", "complaint_id": complaint.id})  # fmt: skip
    session.flush()
    audit.record(
        session, "meeting.complaint_decided", actor_number=actor.number,
        target=f"member:{complaint.member_number}", meeting_id=meeting.id,
        complaint_id=complaint.id, outcome=complaint.status, note=note, before=before,
        after=_snapshot(entry_of(session, meeting, complaint.member_number)),
    )  # fmt: skip
    return complaint


def freeze(session: Session, actor: Member, meeting: Meeting) -> None:
    """Lock the roll: from now on no sync changes it, only a logged correction."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    if meeting.roll_state != "open":
        raise Conflict(_("Bare et beregnet, åpent manntall kan låses."))
    if utcnow() <= meeting.complaints_until:
        raise Conflict(_("Klagefristen er ikke ute ennå."))
    if any(c.status == "pending" for c in complaints(session, meeting)):
        raise Conflict(_("Avgjør klagene som venter, før manntallet låses."))
    meeting.roll_state = "frozen"
    meeting.roll_frozen_at = utcnow()
    session.flush()
    eligible = session.scalars(select(RollEntry.member_number).where(
        RollEntry.meeting_id == meeting.id, RollEntry.eligible.is_(True))).all()  # fmt: skip
    audit.record(session, "meeting.roll_frozen", actor_number=actor.number,
                 target=f"meeting:{meeting.id}", eligible=len(eligible))  # fmt: skip


def correct(session: Session, actor: Member, meeting: Meeting, member_number: int | None,
            eligible: bool, note: str) -> RollEntry:  # fmt: skip
    """Give or take a member's vote on a computed roll, with a reason; always logged."""
    access.require(session, actor, "meeting.manage", meeting, visible=True)
    errors: dict[str, str] = {}
    member = session.get(Member, member_number) if member_number else None
    if member is None:
        errors["member_number"] = _("Finner ikke et medlem med det medlemsnummeret.")
    note = note.strip()
    if not 1 <= len(note) <= 500:
        errors["note"] = _("Begrunn rettingen (høyst 500 tegn).")
    if errors:
        raise ValidationFailed(fields=errors)
    if meeting.roll_state == "none":
        raise Conflict(_("Manntallet er ikke beregnet ennå."))
    assert member is not None
    before = _snapshot(entry_of(session, meeting, member.number))
    entry = _set_line(session, meeting, member.number, eligible, "correction",
                      {"code": "corrected", "note": note})  # fmt: skip
    session.flush()
    audit.record(
        session, "meeting.roll_corrected", actor_number=actor.number,
        target=f"member:{member.number}", meeting_id=meeting.id, frozen=meeting.roll_state
        == "frozen", note=note, before=before, after=_snapshot(entry),
    )  # fmt: skip
    return entry


def _set_line(session: Session, meeting: Meeting, number: int, eligible: bool, source: str,
              reason: dict[str, Any]) -> RollEntry:  # fmt: skip
    entry = entry_of(session, meeting, number)
    if entry is None:
        entry = RollEntry(meeting_id=meeting.id, member_number=number, reasons=[])
        session.add(entry)
    entry.eligible = eligible
    entry.source = source
    entry.reasons = [reason]
    return entry


def _snapshot(entry: RollEntry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {"eligible": entry.eligible, "source": entry.source, "reasons": list(entry.reasons)}


def eligible_numbers(session: Session, meeting: Meeting) -> set[int]:
    query = select(RollEntry.member_number).where(
        RollEntry.meeting_id == meeting.id, RollEntry.eligible.is_(True)
    )
    return set(session.scalars(query))
