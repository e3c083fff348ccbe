"""Fills the front page's stream from the domain events, in the job runner, never in a request.

Capabilities' events become `StreamEntry` rows through small translators registered with
`@entry_from("event.name")`: a function (session, payload) → `NewEntry` or None. The content
capability adds its own ("news.published", …) the same way, in a module its package imports.

The job `home.stream` follows the events with its own durable cursor; rows are written in the
same transaction as the cursor moves, and a row per event at most (unique `event_id`), so a
crash re-reads a batch and adds nothing twice. After the commit it tells open front pages of
each group ("group:<id>" rooms, joined through the group.read check) that something is new;
the page then fetches its stream from a permission-checked URL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from innsiden import events, realtime
from innsiden.home.models import StreamEntry
from innsiden.jobs import job

log = logging.getLogger(__name__)

CONSUMER = "home.stream"
BATCH = 500
MAX_BATCHES = 20  # per run, so one run never holds the writer for long
LIVE_EVENT = "home:new"


@dataclass(frozen=True)
class NewEntry:
    kind: str
    group_id: int
    subject_kind: str
    subject_id: int
    group_key: str
    actor_number: int | None = None


Translator = Callable[[Session, dict[str, Any]], NewEntry | None]
_translators: dict[str, list[Translator]] = {}
# Events after which a subject is gone for everyone: its rows are dropped (pages check
# access on every view anyway; this only keeps pages from fetching dead rows).
_removals: dict[str, Callable[[dict[str, Any]], tuple[str, int]]] = {}


def entry_from(*event_names: str) -> Callable[[Translator], Translator]:
    """Register `translate(session, payload)` → NewEntry | None for these events."""

    def register(translate: Translator) -> Translator:
        for name in event_names:
            _translators.setdefault(name, []).append(translate)
        return translate

    return register


def removes(event_name: str, subject: Callable[[dict[str, Any]], tuple[str, int]]) -> None:
    """After `event_name`, drop the rows of the subject `subject(payload)` names."""
    _removals[event_name] = subject


def handle(session: Session, event: events.Event, made: list[StreamEntry]) -> None:
    """Turn one event into rows (or removals); a failing translator is logged and skipped."""
    if event.name in _removals:
        kind, ident = _removals[event.name](event.payload)
        session.execute(
            delete(StreamEntry).where(
                StreamEntry.subject_kind == kind, StreamEntry.subject_id == ident
            )
        )
    for translate in _translators.get(event.name, ()):
        try:
            found = translate(session, dict(event.payload))
        except Exception:
            log.exception("stream translator %s failed for event %s", translate.__name__, event.id)
            continue
        if found is None or event.id is None:
            continue
        row = StreamEntry(event_id=event.id, **found.__dict__)
        made.append(row)


def follow_batch(session: Session, batch: int = BATCH) -> tuple[int, list[StreamEntry]]:
    """Read the next events into rows (flushed, not committed); returns (events read, rows)."""
    made: list[StreamEntry] = []
    count = events.consume(session, CONSUMER, lambda e: handle(session, e, made), batch)
    if made:
        _stamp_times(session, made)
        _skip_existing(session, made)
        session.add_all(made)
        session.flush()
    return count, made


def _stamp_times(session: Session, rows: list[StreamEntry]) -> None:
    """An entry is dated when its event happened, not when the job read it."""
    ids = [row.event_id for row in rows]
    times = dict(
        session.execute(
            select(events.DomainEvent.id, events.DomainEvent.created_at).where(
                events.DomainEvent.id.in_(ids)
            )
        ).all()
    )
    for row in rows:
        row.created_at = times.get(row.event_id, row.created_at)


def _skip_existing(session: Session, rows: list[StreamEntry]) -> None:
    """Drop rows already written (a batch read again after a crash between writes)."""
    ids = [row.event_id for row in rows]
    done = set(session.scalars(select(StreamEntry.event_id).where(StreamEntry.event_id.in_(ids))))
    rows[:] = [row for row in rows if row.event_id not in done]


@job("home.stream")
def stream_job(session: Session) -> int:
    """Follow the events into the stream, commit, then tell open front pages."""
    written: list[tuple[int, int, str]] = []
    for _ in range(MAX_BATCHES):
        count, made = follow_batch(session)
        session.commit()
        written.extend((row.group_id, row.id, row.kind) for row in made)
        if count < BATCH:
            break
    push_new(written)
    return len(written)


def push_new(written: list[tuple[int, int, str]]) -> None:
    """One push per group: ids and kinds only, never text (the page fetches what it may see)."""
    by_group: dict[int, list[tuple[int, str]]] = {}
    for group_id, entry_id, kind in written:
        by_group.setdefault(group_id, []).append((entry_id, kind))
    for group_id, rows in by_group.items():
        realtime.emit_to_room(
            f"group:{group_id}",
            LIVE_EVENT,
            {"group_id": group_id, "entries": [{"id": i, "kind": kind} for i, kind in rows]},
        )
