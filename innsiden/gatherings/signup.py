"""Replies and the waiting list: capacity is enforced inside the database transaction.

Every change that hands out or frees a place first locks the event's row: `SELECT … FOR
UPDATE` on PostgreSQL; on SQLite a writing transaction holds the database's write lock from
`BEGIN IMMEDIATE` (see `membersync.db`), which serialises writers the same way. Counting
places, giving a place or a waiting-list number, and moving the first in line up then all
happen under that lock, so hundreds of sign-ups in the same second give exactly `capacity`
places and an unbroken waiting list. Nothing about places is kept in Python memory.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden import access, events
from innsiden.errors import Conflict, NotFound, ValidationFailed
from innsiden.gatherings import questions, reminders
from innsiden.gatherings.models import Gathering, GatheringReply
from innsiden.gatherings.reminders import ReminderChoice
from membersync.db import utcnow
from membersync.models import Member

ANSWERS = {"yes": "confirmed", "maybe": "maybe", "no": "declined"}
HOLDS_PLACE = ("confirmed", "waiting")


@dataclass(frozen=True)
class Counts:
    confirmed: int = 0
    waiting: int = 0
    maybe: int = 0
    declined: int = 0


@dataclass(frozen=True)
class Outcome:
    reply: GatheringReply
    position: int | None  # on the waiting list: 1 is next in line
    promoted: list[GatheringReply]


def lock(session: Session, gathering_id: int) -> Gathering:
    """The event, its row locked until this transaction ends (see the module docstring)."""
    found = session.scalar(
        select(Gathering.id).where(Gathering.id == gathering_id).with_for_update()
    )
    if found is None:
        raise NotFound()
    gathering = session.get(Gathering, gathering_id, populate_existing=True)
    assert gathering is not None
    return gathering


def own_reply(session: Session, gathering_id: int, member_number: int) -> GatheringReply | None:
    return session.scalar(
        select(GatheringReply).where(
            GatheringReply.gathering_id == gathering_id,
            GatheringReply.member_number == member_number,
        )
    )


def respond(
    session: Session,
    member: Member,
    gathering_id: int,
    answer: str,
    answers: Mapping[str, object] | None = None,
    reminder: ReminderChoice | None = None,
) -> Outcome:
    """Give or change the member's reply ("yes", "maybe", "no") until the deadline."""
    # Permission first, without the lock, so the lock is held only for the counting.
    access.require(session, member, "gathering.see", session.get(Gathering, gathering_id))
    if answer not in ANSWERS:
        raise ValidationFailed(fields={"answer": _("Svar kommer, kanskje eller kommer ikke.")})
    gathering = lock(session, gathering_id)
    if gathering.cancelled:
        raise Conflict(_("Arrangementet er avlyst."))
    access.require(session, member, "gathering.reply", gathering, visible=True)
    now = utcnow()
    if now >= gathering.closes_at:
        raise Conflict(_("Påmeldingen er stengt. Ta kontakt med arrangøren."))
    reply = own_reply(session, gathering.id, member.number)
    was = reply.status if reply else None
    if answer == "no":
        clean = dict(reply.answers) if reply else {}
    else:
        clean = questions.clean_answers(gathering.questions, answers or {})
    status = _status_for(session, gathering, answer, was)
    queue_number = reply.queue_number if reply and was == "waiting" else None
    if status == "waiting" and was != "waiting":
        queue_number = _next_queue_number(session, gathering.id)
    if reply is None:
        reply = GatheringReply(gathering_id=gathering.id, member_number=member.number)
        session.add(reply)
    if status in HOLDS_PLACE and was not in HOLDS_PLACE:
        reply.signed_up_at = now
    reply.status, reply.answers = status, clean
    reply.queue_number = queue_number if status == "waiting" else None
    reminders.apply_choice(session, reply, gathering, reminder)
    session.flush()
    if status in HOLDS_PLACE and was not in HOLDS_PLACE:
        events.record(
            session, "gathering.signed_up", gathering_id=gathering.id, reply_id=reply.id,
            status=status,
        )  # fmt: skip
    promoted = fill_free_places(session, gathering) if was == "confirmed" else []
    return Outcome(reply, waiting_position(session, reply), promoted)


def _status_for(session: Session, gathering: Gathering, answer: str, was: str | None) -> str:
    if answer != "yes":
        return ANSWERS[answer]
    if was in HOLDS_PLACE:
        return str(was)  # keeps their place, or their number in the queue
    return "confirmed" if free_places(session, gathering) != 0 else "waiting"


def free_places(session: Session, gathering: Gathering) -> int | None:
    """Places left now (None: no limit). Call with the row locked to act on the answer."""
    if gathering.capacity is None:
        return None
    taken = session.scalar(
        select(func.count())
        .select_from(GatheringReply)
        .where(GatheringReply.gathering_id == gathering.id, GatheringReply.status == "confirmed")
    )
    return max(0, gathering.capacity - int(taken or 0))


def _next_queue_number(session: Session, gathering_id: int) -> int:
    highest = session.scalar(
        select(func.max(GatheringReply.queue_number)).where(
            GatheringReply.gathering_id == gathering_id
        )
    )
    return int(highest or 0) + 1


def fill_free_places(session: Session, gathering: Gathering) -> list[GatheringReply]:
    """Move the first in line up into every free place; each is told (gathering.promoted)."""
    if gathering.cancelled:
        return []
    free = free_places(session, gathering)
    if free == 0:
        return []
    query = (
        select(GatheringReply)
        .where(GatheringReply.gathering_id == gathering.id, GatheringReply.status == "waiting")
        .order_by(GatheringReply.queue_number)
    )
    promoted = list(session.scalars(query if free is None else query.limit(free)))
    for reply in promoted:
        reply.status, reply.queue_number = "confirmed", None
        reminders.schedule(session, reply, gathering)
        events.record(
            session,
            "gathering.promoted",
            gathering_id=gathering.id,
            member_number=reply.member_number,
            reply_id=reply.id,
        )
    session.flush()
    return promoted


def waiting_position(session: Session, reply: GatheringReply) -> int | None:
    """1 for the next in line; None unless waiting."""
    if reply.status != "waiting" or reply.queue_number is None:
        return None
    ahead = session.scalar(
        select(func.count())
        .select_from(GatheringReply)
        .where(
            GatheringReply.gathering_id == reply.gathering_id,
            GatheringReply.status == "waiting",
            GatheringReply.queue_number < reply.queue_number,
        )
    )
    return int(ahead or 0) + 1


def counts(session: Session, gathering_ids: Collection[int]) -> dict[int, Counts]:
    """Replies per status for each event (one query, whatever the number of events)."""
    if not gathering_ids:
        return {}
    rows = session.execute(
        select(GatheringReply.gathering_id, GatheringReply.status, func.count())
        .where(GatheringReply.gathering_id.in_(sorted(set(gathering_ids))))
        .group_by(GatheringReply.gathering_id, GatheringReply.status)
    )
    found: dict[int, dict[str, int]] = {}
    for gathering_id, status, number in rows:
        found.setdefault(gathering_id, {})[status] = number
    return {gid: Counts(**found.get(gid, {})) for gid in gathering_ids}


def replies_of(
    session: Session, member_number: int, gathering_ids: Collection[int]
) -> dict[int, GatheringReply]:
    """The member's own replies to these events (one query)."""
    if not gathering_ids:
        return {}
    rows = session.scalars(
        select(GatheringReply).where(
            GatheringReply.member_number == member_number,
            GatheringReply.gathering_id.in_(sorted(set(gathering_ids))),
        )
    )
    return {reply.gathering_id: reply for reply in rows}
