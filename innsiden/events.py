"""Domain events: recorded on the session by services, delivered only after the commit.

An event is a row written in the same transaction as the change it describes (so a rollback
sends nothing and a crash loses nothing). After the commit, in-process listeners (realtime
pushes) get it at once; durable consumers (search indexing, notifications) read the table
from the job runner with a cursor of their own. Neither ever makes a request fail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, String, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from membersync.db import Base, utcnow

log = logging.getLogger(__name__)

PENDING_KEY = "innsiden.pending_events"
# A consumer reads only events older than this, so most transactions that took an id earlier
# but committed later are read in id order. Longer ones are caught by the cursor's open gaps.
CONSUMER_LAG = timedelta(seconds=5)
# An id the cursor passed without seeing its row is watched this long for a late commit, then
# taken for a rollback (PostgreSQL sequences never hand an id out twice).
GAP_PATIENCE = timedelta(minutes=15)
# At most this many open gaps per consumer (a rolled-back bulk write can leave many); the oldest
# are dropped first.
MAX_OPEN_GAPS = 5000


class DomainEvent(Base):
    """A committed fact ("post.created", "poll.closed", …) waiting for its consumers."""

    __tablename__ = "domain_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class EventCursor(Base):
    """How far one durable consumer has read the event table."""

    __tablename__ = "event_cursor"

    consumer: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_event_id: Mapped[int | None] = mapped_column(default=None)
    # Ids below last_event_id not seen yet ({"id": first-missed ISO time}): a transaction that
    # held an id while a later one committed. They are delivered when they appear.
    open_gaps: Mapped[dict[str, str] | None] = mapped_column(JSON, default=None)


@dataclass(frozen=True)
class Event:
    name: str
    payload: dict[str, Any] = field(default_factory=dict)
    id: int | None = None


Listener = Callable[[Event], None]
_listeners: list[Listener] = []


def record(session: Session, name: str, **payload: Any) -> None:
    """Record that `name` happened; it is delivered only if the session commits."""
    row = DomainEvent(name=name, payload=payload)
    session.add(row)
    session.info.setdefault(PENDING_KEY, []).append(row)


def listen(listener: Listener) -> Listener:
    """Call `listener` in this process for every event after its transaction commits."""
    _listeners.append(listener)
    return listener


@event.listens_for(Session, "after_commit")
def _deliver(session: Session) -> None:
    rows: list[DomainEvent] = session.info.pop(PENDING_KEY, [])
    for row in rows:
        delivered = Event(row.name, dict(row.payload or {}), row.id)
        for listener in list(_listeners):
            try:
                listener(delivered)
            except Exception:
                log.exception("event listener failed for %s", row.name)


@event.listens_for(Session, "after_rollback")
def _discard(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)


def consume(
    session: Session, consumer: str, handle: Callable[[Event], None], batch: int = 500
) -> int:
    """Feed committed events not yet seen by `consumer` to `handle`; returns how many.

    Meant for the job runner. The cursor moves in the same transaction as the handler's
    writes, so a crash means the batch is handled again, never skipped. An event whose id the
    cursor has passed while its transaction was still open is delivered when it commits
    (the cursor's open gaps), exactly once.
    """
    cursor = session.get(EventCursor, consumer, with_for_update=True)
    if cursor is None:
        cursor = EventCursor(consumer=consumer, last_event_id=None)
        session.add(cursor)
    now = utcnow()
    gaps = dict(cursor.open_gaps or {})
    handled = _consume_gaps(session, gaps, handle, now)
    query = select(DomainEvent).where(DomainEvent.created_at <= now - CONSUMER_LAG)
    if cursor.last_event_id is not None:
        query = query.where(DomainEvent.id > cursor.last_event_id)
    rows = session.scalars(query.order_by(DomainEvent.id).limit(batch)).all()
    for row in rows:
        if cursor.last_event_id is not None:
            for missing in range(cursor.last_event_id + 1, row.id):
                gaps[str(missing)] = now.isoformat()
        handle(Event(row.name, dict(row.payload or {}), row.id))
        cursor.last_event_id = row.id
    cursor.open_gaps = _trimmed(gaps, now) or None
    session.flush()
    return handled + len(rows)


def _consume_gaps(
    session: Session, gaps: dict[str, str], handle: Callable[[Event], None], now: datetime
) -> int:
    """Deliver the events that have appeared in the cursor's gaps, removing them from `gaps`."""
    if not gaps:
        return 0
    late = session.scalars(
        select(DomainEvent)
        .where(DomainEvent.id.in_([int(key) for key in gaps]))
        .where(DomainEvent.created_at <= now - CONSUMER_LAG)
        .order_by(DomainEvent.id)
    ).all()
    for row in late:
        handle(Event(row.name, dict(row.payload or {}), row.id))
        del gaps[str(row.id)]
    return len(late)


def _trimmed(gaps: dict[str, str], now: datetime) -> dict[str, str]:
    """Gaps still worth watching: younger than GAP_PATIENCE, and at most MAX_OPEN_GAPS."""
    fresh = {
        key: seen for key, seen in gaps.items() if datetime.fromisoformat(seen) > now - GAP_PATIENCE
    }
    if len(fresh) <= MAX_OPEN_GAPS:
        return fresh
    newest = sorted(fresh, key=int)[-MAX_OPEN_GAPS:]
    return {key: fresh[key] for key in newest}
