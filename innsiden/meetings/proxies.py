"""Proxies (fullmakt): a member on the roll lets another on the roll vote for them, where the
meeting's statute profile allows it. Never commits.

- issued (or given to someone else) and revoked by the giver, before the giver checks in;
- accepted or declined by the holder, at most `proxy_cap` accepted per holder;
- counted in a vote's electorate only while the holder is checked in (voting.electorate);
- voided when the giver checks in (they vote themselves), and not revived by checking out.

One row per giver and meeting (the primary key makes "one proxy at a time" hold also when two
requests race); every change is written to the audit log, so the history is kept there.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden import access, audit
from innsiden.errors import Conflict, NotFound, ValidationFailed
from innsiden.meetings.models import Attendance, Meeting, MeetingProxy, RollEntry
from innsiden.meetings.service import profile_of
from membersync.db import utcnow
from membersync.models import Member

ACTIVE = ("offered", "accepted")


@dataclass(frozen=True)
class ProxyLine:
    """A proxy as shown to the giver or the holder: the other party by name."""

    giver_number: int
    holder_number: int
    state: str
    other_name: str


def _eligible(session: Session, meeting: Meeting, number: int) -> bool:
    entry = session.get(RollEntry, (meeting.id, number))
    return entry is not None and entry.eligible


def _present(session: Session, meeting: Meeting, number: int) -> bool:
    row = session.get(Attendance, (meeting.id, number))
    return row is not None and row.present


def _allowed(session: Session, meeting: Meeting) -> int:
    """The cap per holder if the meeting's statutes allow proxies; else Conflict."""
    profile = profile_of(session, meeting)
    if not profile.proxies_allowed:
        raise Conflict(_("Vedtektene for dette møtet tillater ikke fullmakter."))
    return profile.proxy_cap


def _log(session: Session, action: str, actor: Member, row: MeetingProxy) -> None:
    audit.record(
        session, f"meeting.proxy_{action}", actor_number=actor.number,
        target=f"meeting:{row.meeting_id}", giver=row.giver_number, holder=row.holder_number,
    )  # fmt: skip


def issue(session: Session, actor: Member, meeting: Meeting, holder_number: int | None
          ) -> MeetingProxy:  # fmt: skip
    """Give my proxy to `holder_number` (replacing an earlier one); the holder must accept."""
    access.require(session, actor, "meeting.take_part", meeting)
    _allowed(session, meeting)
    if meeting.roll_state == "none":
        raise Conflict(_("Manntallet er ikke beregnet ennå."))
    if not _eligible(session, meeting, actor.number):
        raise Conflict(_("Bare den som står i manntallet med stemmerett, kan gi fullmakt."))
    if _present(session, meeting, actor.number):
        raise Conflict(_("Du er sjekket inn og stemmer selv. Sjekk ut før du gir fullmakt."))
    if holder_number is None or holder_number == actor.number:
        raise ValidationFailed(fields={"holder": _("Oppgi medlemsnummeret til en annen.")})
    if not _eligible(session, meeting, holder_number):
        raise ValidationFailed(
            fields={"holder": _("Den du gir fullmakt, må stå i manntallet med stemmerett.")}
        )
    row = session.get(MeetingProxy, (meeting.id, actor.number), with_for_update=True)
    now = utcnow()
    if row is None:
        row = MeetingProxy(meeting_id=meeting.id, giver_number=actor.number,
                           holder_number=holder_number, state="offered", issued_at=now)  # fmt: skip
        session.add(row)
    else:
        row.holder_number, row.state, row.issued_at = holder_number, "offered", now
        row.accepted_at, row.ended_at = None, None
    session.flush()
    _log(session, "issued", actor, row)
    return row


def revoke(session: Session, actor: Member, meeting: Meeting) -> None:
    """Take my proxy back (offered or accepted)."""
    access.require(session, actor, "meeting.take_part", meeting)
    row = session.get(MeetingProxy, (meeting.id, actor.number), with_for_update=True)
    if row is None or row.state not in ACTIVE:
        raise Conflict(_("Du har ingen fullmakt å trekke tilbake."))
    row.state, row.ended_at = "revoked", utcnow()
    session.flush()
    _log(session, "revoked", actor, row)


def _offered_to(session: Session, actor: Member, meeting: Meeting, giver_number: int
                ) -> MeetingProxy:  # fmt: skip
    row = session.get(MeetingProxy, (meeting.id, giver_number), with_for_update=True)
    if row is None or row.holder_number != actor.number or row.state not in ACTIVE:
        raise NotFound()
    return row


def accept(session: Session, actor: Member, meeting: Meeting, giver_number: int) -> None:
    """Accept a proxy offered to me, within the statutes' cap per holder."""
    access.require(session, actor, "meeting.take_part", meeting)
    cap = _allowed(session, meeting)
    row = _offered_to(session, actor, meeting, giver_number)
    if row.state == "accepted":
        return
    if not _eligible(session, meeting, actor.number):
        raise Conflict(_("Bare den som står i manntallet med stemmerett, kan ta imot fullmakt."))
    held = session.scalar(
        select(func.count()).select_from(MeetingProxy).where(
            MeetingProxy.meeting_id == meeting.id, MeetingProxy.holder_number == actor.number,
            MeetingProxy.state == "accepted",
        )
    ) or 0  # fmt: skip
    if held >= cap:
        raise Conflict(
            _("Vedtektene tillater høyst %(cap)s fullmakt(er) per person, og du har nådd taket.",
              cap=cap)
        )  # fmt: skip
    row.state, row.accepted_at = "accepted", utcnow()
    session.flush()
    _log(session, "accepted", actor, row)


def decline(session: Session, actor: Member, meeting: Meeting, giver_number: int) -> None:
    """Say no to a proxy offered (or give back one accepted)."""
    access.require(session, actor, "meeting.take_part", meeting)
    row = _offered_to(session, actor, meeting, giver_number)
    row.state, row.ended_at = "declined", utcnow()
    session.flush()
    _log(session, "declined", actor, row)


def void_on_check_in(session: Session, actor: Member, meeting: Meeting) -> None:
    """The giver came: their proxy ends, and they vote themselves from now on."""
    row = session.get(MeetingProxy, (meeting.id, actor.number), with_for_update=True)
    if row is None or row.state not in ACTIVE:
        return
    row.state, row.ended_at = "voided", utcnow()
    session.flush()
    _log(session, "voided", actor, row)


def accepted(session: Session, meeting: Meeting) -> list[MeetingProxy]:
    query = select(MeetingProxy).where(
        MeetingProxy.meeting_id == meeting.id, MeetingProxy.state == "accepted"
    )
    return list(session.scalars(query))


def is_accepted(session: Session, meeting: Meeting, giver_number: int, holder_number: int
                ) -> bool:  # fmt: skip
    row = session.get(MeetingProxy, (meeting.id, giver_number))
    return row is not None and row.state == "accepted" and row.holder_number == holder_number


def names_of(session: Session, numbers: set[int]) -> dict[int, str]:
    if not numbers:
        return {}
    rows = session.execute(
        select(Member.number, Member.first_name, Member.last_name).where(
            Member.number.in_(sorted(numbers))
        )
    )
    return {n: f"{first} {last}".strip() for n, first, last in rows}


def given_by(session: Session, meeting: Meeting, number: int) -> ProxyLine | None:
    """My proxy while it is offered or accepted."""
    row = session.get(MeetingProxy, (meeting.id, number))
    if row is None or row.state not in ACTIVE:
        return None
    name = names_of(session, {row.holder_number}).get(row.holder_number, str(row.holder_number))
    return ProxyLine(row.giver_number, row.holder_number, row.state, name)


def held_by(session: Session, meeting: Meeting, number: int) -> list[ProxyLine]:
    """Proxies offered to or accepted by me, with the givers' names."""
    rows = list(session.scalars(
        select(MeetingProxy).where(
            MeetingProxy.meeting_id == meeting.id, MeetingProxy.holder_number == number,
            MeetingProxy.state.in_(ACTIVE),
        ).order_by(MeetingProxy.issued_at)
    ))  # fmt: skip
    names = names_of(session, {r.giver_number for r in rows})
    return [
        ProxyLine(r.giver_number, r.holder_number, r.state,
                  names.get(r.giver_number, str(r.giver_number)))
        for r in rows
    ]  # fmt: skip
