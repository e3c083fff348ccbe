"""Keeps the search index in step with the database, never inside a request.

Capabilities register two things here (in a module their package imports at start-up):

    @indexes("post.created", "post.edited", "post.hidden", "post.deleted")
    def post_changes(session, payload) -> Iterable[SearchDocument | Delete]: ...

    @rebuild_source("posts", count=lambda session: ...)
    def all_posts(session) -> Iterable[SearchDocument]: ...

A builder reads the current state from the database (so re-applying an event is harmless)
and returns the documents to (re)index, or `Delete(id)` when the thing is gone or hidden.

The job `search.index` follows the domain events with its own durable cursor and writes each
batch through the single writer; the cursor moves only after the index has committed, so a
crash between the two re-applies the batch (idempotent: documents are replaced by id) and
never loses one. A rebuild builds a new index beside the current one and switches to it
atomically; events that arrived meanwhile are replayed into it afterwards.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from innsiden import events
from innsiden.db import session_factory
from innsiden.jobs import job
from innsiden.search import get_engine
from innsiden.search.engine import Change, SearchBusy, SearchDocument, SearchEngine

log = logging.getLogger(__name__)

CONSUMER = "search.index"
BATCH = 500  # events per index commit
MAX_BATCHES = 20  # per job run, so one run never holds the writer for long

Builder = Callable[[Session, dict[str, Any]], Iterable[Change]]
RebuildSource = Callable[[Session], Iterable[SearchDocument]]
Counter = Callable[[Session], int]

_builders: dict[str, list[Builder]] = {}
_sources: dict[str, tuple[RebuildSource, Counter | None]] = {}


def indexes(*event_names: str) -> Callable[[Builder], Builder]:
    """Register `builder(session, payload)` for these domain events."""

    def register(builder: Builder) -> Builder:
        for name in event_names:
            _builders.setdefault(name, []).append(builder)
        return builder

    return register


def rebuild_source(
    name: str, count: Counter | None = None
) -> Callable[[RebuildSource], RebuildSource]:
    """Register a full scan of one kind of content for `innsiden search rebuild`.

    `count(session)` (optional) tells the progress bar how many documents to expect."""

    def register(source: RebuildSource) -> RebuildSource:
        _sources[name] = (source, count)
        return source

    return register


def sources() -> dict[str, tuple[RebuildSource, Counter | None]]:
    return dict(_sources)


# -- following events -------------------------------------------------------------------------


def changes_for(session: Session, event: events.Event) -> list[Change]:
    """What the registered builders make of one event; a failing builder is logged and
    skipped, so one bad event never stops indexing (a rebuild repairs what it missed)."""
    found: list[Change] = []
    for builder in _builders.get(event.name, ()):
        try:
            found.extend(builder(session, dict(event.payload)))
        except Exception:
            log.exception("search builder %s failed for event %s", builder.__name__, event.id)
    return found


def index_batch(session: Session, engine: SearchEngine, batch: int = BATCH) -> int:
    """Apply the next events to the index and commit it; the caller commits the cursor.

    Returns how many events were read. Until the caller commits, the events count as unread:
    a crash here means they are applied again, which replaces the same documents."""
    pending: dict[str, Change] = {}

    def handle(event: events.Event) -> None:
        for change in changes_for(session, event):
            pending.pop(change.id, None)  # the latest change to a document wins
            pending[change.id] = change

    count = events.consume(session, CONSUMER, handle, batch)
    engine.apply(list(pending.values()))
    return count


def index_pending(session: Session, engine: SearchEngine, wait: float = 0.0) -> int:
    """Index committed events until none are left (or MAX_BATCHES); returns how many.

    Returns 0 at once if another process is writing the index (it will do the work)."""
    done = 0
    try:
        with engine.exclusive(timeout=wait):
            for _ in range(MAX_BATCHES):
                count = index_batch(session, engine)
                session.commit()  # the cursor moves only after the index committed
                done += count
                if count < BATCH:
                    break
    except SearchBusy:
        session.rollback()
    return done


@job("search.index")
def index_job(session: Session) -> int:
    """Run by `innsiden jobs run` (cron) and by `innsiden search follow` every second."""
    return index_pending(session, get_engine(current_app))


def follow(app: Flask, interval: float = 1.0, stop: threading.Event | None = None) -> None:
    """Index new events every `interval` seconds until `stop` is set (or forever)."""
    stop = stop or threading.Event()
    engine = get_engine(app)
    factory = session_factory(app)
    while True:
        with app.app_context(), factory() as session:
            try:
                index_pending(session, engine)
            except Exception:
                log.exception("search indexing failed; retrying")
        if stop.wait(interval):
            return


class Follower:
    """`follow()` in a daemon thread (for `innsiden serve`); `stop()` ends it."""

    def __init__(self, app: Flask, interval: float = 1.0) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=follow, args=(app, interval, self._stop), name="innsiden-search", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)


def start_follower(app: Flask, interval: float = 1.0) -> Follower:
    return Follower(app, interval)


# -- rebuilding ---------------------------------------------------------------------------------


def rebuild(
    app: Flask,
    progress: Callable[[str, int | None], Callable[[int], None]] | None = None,
) -> int:
    """Rebuild the whole index from the registered sources; the old one serves meanwhile.

    `progress(source_name, expected)` returns a callback that is told how many documents
    were added (the CLI's progress bar)."""
    engine = get_engine(app)
    read_sessions = app.extensions["innsiden.read_sessionmaker"]
    with session_factory(app)() as session:
        # Everything up to this cursor is in the database the scan reads; later events are
        # replayed into the new index after the switch.
        start = session.scalar(
            select(events.EventCursor.last_event_id).where(events.EventCursor.consumer == CONSUMER)
        )

    with read_sessions() as session:
        bars: list[tuple[str, Callable[[int], None] | None]] = []
        for name, (_source, count) in sorted(_sources.items()):
            expected = count(session) if count else None
            bars.append((name, progress(name, expected) if progress else None))

        def documents() -> Iterable[SearchDocument]:
            for name, tell in bars:
                source, _count = _sources[name]
                done = 0
                for doc in source(session):
                    yield doc
                    done += 1
                    if tell and done % 500 == 0:
                        tell(500)
                if tell:
                    tell(done % 500)

        total = engine.rebuild(documents())

    with session_factory(app)() as session, engine.exclusive():
        _rewind_cursor(session, start)
        session.commit()
    return total


def _rewind_cursor(session: Session, start: int | None) -> None:
    cursor = events.EventCursor
    if start is None:
        session.execute(
            update(cursor).where(cursor.consumer == CONSUMER).values(last_event_id=None)
        )
    else:
        session.execute(
            update(cursor)
            .where(cursor.consumer == CONSUMER, cursor.last_event_id > start)
            .values(last_event_id=start)
        )
