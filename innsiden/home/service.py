"""The front page's writes: the member's "last seen" mark, and a one-click sign-up.

Functions take the session, the acting member and plain values; they flush, never commit.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from innsiden.gatherings import signup
from innsiden.home.models import HomeVisit
from membersync.db import utcnow
from membersync.models import Member


def last_visit(session: Session, member: Member) -> HomeVisit | None:
    """What the member had seen at their last look (None before their first)."""
    return session.get(HomeVisit, member.number)


def mark_seen(session: Session, member: Member, newest_entry_id: int) -> None:
    """Everything up to `newest_entry_id` has now been shown to the member (a reload that
    shows nothing new writes nothing)."""
    visit = session.get(HomeVisit, member.number)
    if visit is None:
        session.add(HomeVisit(member_number=member.number, seen_entry_id=newest_entry_id))
    elif newest_entry_id > visit.seen_entry_id:
        visit.seen_entry_id, visit.seen_at = newest_entry_id, utcnow()
    session.flush()


def sign_up(session: Session, member: Member, gathering_id: int) -> signup.Outcome:
    """Answer "Kommer" to an event from the front page; the gatherings service checks the
    rules (who may, deadline, capacity and waiting list) exactly as on the event page."""
    return signup.respond(session, member, gathering_id, "yes")
