"""A poll's life: it opens (the electorate is frozen), it reminds, it closes (results final).

The job `polls.open_and_close` (every minute) carries out every transition that is due, so
polls open and close without anyone online. Pages and votes also call `bring_up_to_date`
first, so nothing waits for the job: a vote is accepted only between `opens_at` and
`closes_at` by the clock, checked inside the vote's own transaction.

Locking: transitions take the poll row's exclusive lock (FOR UPDATE on PostgreSQL), votes its
shared lock (FOR SHARE). The close therefore waits for votes in flight — each of which checked
the time before the closing time — and no vote gets in after it: the results are final from
the moment the close commits. SQLite serialises writing transactions, which gives the same.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from innsiden import events
from innsiden.groups import service as groups
from innsiden.jobs import job
from innsiden.polls import secrecy
from innsiden.polls.models import Poll, PollBallot, PollElector
from membersync.db import utcnow
from membersync.models import Member

log = logging.getLogger(__name__)

REMINDER_BEFORE_CLOSE = timedelta(hours=24)


def lock(session: Session, poll: Poll, *, shared: bool = False) -> Poll:
    """Lock the poll's row for the rest of the transaction and read it afresh."""
    session.execute(select(Poll.id).where(Poll.id == poll.id).with_for_update(read=shared)).one()
    session.refresh(poll)
    return poll


def is_due(poll: Poll, now: datetime) -> bool:
    """True if the poll should have opened or closed by now but has not yet."""
    should_open = poll.opened_at is None and poll.opens_at <= now
    should_close = poll.closed_at is None and poll.closes_at <= now
    return should_open or should_close


def _carry_out(session: Session, poll: Poll, now: datetime) -> None:
    """The due transitions of a locked poll (opening first: a poll that both opened and closed
    while no job ran still gets its electorate, so turnout reads 0 of N, not 0 of nothing)."""
    if poll.opened_at is None and poll.opens_at <= now:
        open_poll(session, poll)
    if poll.closed_at is None and poll.closes_at <= now:
        close_poll(session, poll)


def bring_up_to_date(session: Session, poll: Poll) -> bool:
    """Carry out the poll's due transitions now, in this (writing) transaction, or in a short
    transaction of its own when `session` only reads (a GET request). True if anything was
    due; a read-only caller must then end its transaction to see the result (SQLite keeps
    its snapshot)."""
    if not is_due(poll, utcnow()):
        return False
    if _reads_only(session):
        bind = session.get_bind().execution_options(sqlite_begin="IMMEDIATE")
        with Session(bind=bind, expire_on_commit=False) as own:
            fresh = own.get(Poll, poll.id)
            if fresh is not None:
                lock(own, fresh)
                _carry_out(own, fresh, utcnow())
                own.commit()
        return True
    lock(session, poll)
    _carry_out(session, poll, utcnow())
    session.flush()
    return True


def _reads_only(session: Session) -> bool:
    return session.get_bind().get_execution_options().get("sqlite_begin") == "DEFERRED"


def electorate_numbers(session: Session, poll: Poll) -> list[int]:
    """Who may vote, decided now: the group's members with register access (and, if the
    poll says so, only those whose register status is `aktiv`)."""
    group = groups.get_group(session, poll.group_id)
    numbers = groups.group_member_numbers(session, group)
    if poll.electorate == "aktiv" and numbers:
        numbers = set(
            session.scalars(
                select(Member.number).where(
                    Member.number.in_(sorted(numbers)), Member.status == "aktiv"
                )
            )
        )
    return sorted(numbers)


def open_poll(session: Session, poll: Poll) -> None:
    """Freeze the electorate (one row per member number) and mark the poll opened."""
    if poll.opened_at is not None:
        return
    numbers = electorate_numbers(session, poll)
    if numbers:
        session.execute(
            insert(PollElector), [{"poll_id": poll.id, "member_number": n} for n in numbers]
        )
    poll.opened_at = utcnow()
    poll.electorate_size = len(numbers)
    events.record(session, "poll.opened", poll_id=poll.id, group_id=poll.group_id)
    session.flush()


def close_poll(session: Session, poll: Poll) -> None:
    """Make the results final: no vote can follow (the clock refuses it), the secret
    ballots are reshuffled one last time, and everyone is told."""
    if poll.closed_at is not None:
        return
    poll.closed_at = poll.closes_at  # never finer than the closing time itself
    secrecy.seal(session, poll)
    events.record(session, "poll.closed", poll_id=poll.id, group_id=poll.group_id)
    session.flush()


def reminder_time(poll: Poll) -> datetime:
    """When "closing soon" goes out: 24 hours before the close, or halfway for short polls."""
    return poll.closes_at - min(REMINDER_BEFORE_CLOSE, (poll.closes_at - poll.opens_at) / 2)


def _remind(session: Session, now: datetime) -> int:
    candidates = session.scalars(
        select(Poll.id).where(
            Poll.opened_at.is_not(None),
            Poll.closed_at.is_(None),
            Poll.closing_soon_sent.is_(False),
            Poll.closes_at > now,
            Poll.closes_at <= now + REMINDER_BEFORE_CLOSE,
        )
    ).all()
    sent = 0
    for poll_id in candidates:
        poll = session.get(Poll, poll_id)
        if poll is None or reminder_time(poll) > now:
            continue
        # The flag is claimed by a conditional UPDATE: two runners at once remind once.
        claimed = session.execute(
            update(Poll)
            .where(Poll.id == poll_id, Poll.closing_soon_sent.is_(False))
            .values(closing_soon_sent=True)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount == 1:
            events.record(session, "poll.closing_soon", poll_id=poll_id, group_id=poll.group_id)
            sent += 1
    return sent


def _reseal_open_secret_polls(session: Session) -> int:
    """Reshuffle secret polls that got ballots since their last reshuffle."""
    open_secret = select(Poll.id).where(Poll.secret.is_(True), Poll.closed_at.is_(None))
    counts = (
        select(PollBallot.poll_id, func.count().label("n"))
        .where(PollBallot.poll_id.in_(open_secret))
        .group_by(PollBallot.poll_id)
        .subquery()
    )
    ids = session.scalars(
        select(Poll.id)
        .join(counts, counts.c.poll_id == Poll.id)
        .where(counts.c.n != Poll.sealed_ballots)
    ).all()
    for poll_id in ids:
        poll = session.get(Poll, poll_id)
        if poll is not None:
            lock(session, poll)
            secrecy.seal(session, poll)
    return len(ids)


@job("polls.open_and_close")
def open_and_close(session: Session) -> int:
    """Open, remind, close and reshuffle whatever is due; returns how many steps were done."""
    now = utcnow()
    due = session.scalars(
        select(Poll.id)
        .where(
            ((Poll.opened_at.is_(None)) & (Poll.opens_at <= now))
            | ((Poll.closed_at.is_(None)) & (Poll.closes_at <= now))
        )
        .order_by(Poll.id)
    ).all()
    for poll_id in due:
        poll = session.get(Poll, poll_id)
        if poll is not None:
            lock(session, poll)
            _carry_out(session, poll, now)
    done = len(due) + _remind(session, now) + _reseal_open_secret_polls(session)
    session.flush()
    return done
