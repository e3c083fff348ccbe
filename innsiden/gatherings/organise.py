"""Organisers' tools: the attendee list with answers, its CSV export, and check-in at the door.

Who signs up for what is membership data (GDPR art. 9 for a party or union): only the
event's organisers see the list, and every view and export of it is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access, audit
from innsiden.errors import NotFound
from innsiden.gatherings.models import Gathering, GatheringQuestion, GatheringReply
from innsiden.gatherings.timefmt import when
from membersync.db import utcnow
from membersync.models import Member

STATUS_ORDER = ("confirmed", "waiting", "maybe", "declined")


@dataclass(frozen=True)
class Attendee:
    reply: GatheringReply
    member: Member
    position: int | None = None  # on the waiting list

    def answer(self, question: GatheringQuestion) -> str:
        return str(self.reply.answers.get(str(question.id), ""))


@dataclass
class AttendeeList:
    gathering: Gathering
    by_status: dict[str, list[Attendee]] = field(default_factory=dict)

    def of(self, status: str) -> list[Attendee]:
        return self.by_status.get(status, [])

    @property
    def checked_in(self) -> int:
        return sum(1 for people in self.by_status.values() for a in people if a.reply.checked_in_at)

    @property
    def at_the_door(self) -> list[Attendee]:
        """Everyone who may turn up: those with a place, then Kanskje, then the waiting list."""
        return self.of("confirmed") + self.of("maybe") + self.of("waiting")


def attendee_list(
    session: Session, actor: Member, gathering: Gathering, purpose: str = "view"
) -> AttendeeList:
    """Everyone who replied, by status, in sign-up order; audited as `purpose`."""
    access.require(session, actor, "gathering.organise", gathering, visible=True)
    rows = session.execute(
        select(GatheringReply, Member)
        .join(Member, Member.number == GatheringReply.member_number)
        .where(GatheringReply.gathering_id == gathering.id)
        .order_by(GatheringReply.queue_number, GatheringReply.signed_up_at, GatheringReply.id)
    ).unique()
    result = AttendeeList(gathering)
    for reply, member in rows:
        people = result.by_status.setdefault(reply.status, [])
        position = len(people) + 1 if reply.status == "waiting" else None
        people.append(Attendee(reply, member, position))
    audit.record(
        session,
        f"gathering.attendees_{purpose}",
        actor_number=actor.number,
        target=f"gathering:{gathering.id}",
    )
    return result


def status_label(status: str) -> str:
    return {
        "confirmed": _("Kommer"),
        "waiting": _("Venteliste"),
        "maybe": _("Kanskje"),
        "declined": _("Kommer ikke"),
    }[status]


def export_table(attendees: AttendeeList) -> tuple[list[str], list[list[object]]]:
    """Header and rows of the CSV export (cells are made formula-safe by the writer)."""
    questions = attendees.gathering.questions
    header = [
        _("Medlemsnummer"),
        _("Fornavn"),
        _("Etternavn"),
        _("Svar"),
        _("Plass på ventelisten"),
        _("Påmeldt"),
        _("Møtt"),
        *[q.label for q in questions],
    ]
    rows = []
    for status in STATUS_ORDER:
        for person in attendees.of(status):
            reply = person.reply
            rows.append(
                [
                    person.member.number,
                    person.member.first_name,
                    person.member.last_name,
                    status_label(status),
                    person.position or "",
                    when(reply.signed_up_at),
                    _("Ja") if reply.checked_in_at else "",
                    *[person.answer(q) for q in questions],
                ]
            )
    return header, rows


def check_in(
    session: Session, actor: Member, gathering: Gathering, reply_id: int, present: bool
) -> GatheringReply:
    """Mark that a member came (or undo it)."""
    access.require(session, actor, "gathering.organise", gathering, visible=True)
    reply = session.get(GatheringReply, reply_id)
    if reply is None or reply.gathering_id != gathering.id or reply.status == "declined":
        raise NotFound()
    if present and reply.checked_in_at is None:
        reply.checked_in_at, reply.checked_in_by = utcnow(), actor.number
    elif not present:
        reply.checked_in_at = reply.checked_in_by = None
    session.flush()
    return reply
