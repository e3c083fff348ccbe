"""The indexing pipeline: domain events → builders → one writer; the cursor; rebuilds."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from innsiden import events
from innsiden.jobs import run_all
from innsiden.search import get_engine, indexer, make_engine
from innsiden.search.engine import Delete, SearchDocument, SearchQuery
from membersync.db import utcnow

MINE = {"group:1"}


def note_changes(session, payload):
    """A builder as a capability writes one: it answers with the current state."""
    if payload.get("deleted"):
        return [Delete(f"note:{payload['id']}")]
    return [SearchDocument("post", f"note:{payload['id']}", "group:1", "", payload["text"],
                           group_id=1)]  # fmt: skip


def failing_builder(session, payload):
    raise ValueError("a bug in some capability")


@pytest.fixture
def builders(monkeypatch):
    monkeypatch.setitem(indexer._builders, "note.saved", [note_changes])
    monkeypatch.setitem(indexer._builders, "note.broken", [failing_builder, note_changes])


def record(db, name, **payload):
    events.record(db, name, **payload)
    db.commit()
    # Past the consumer's safety lag, as a committed event is a few seconds later.
    db.execute(update(events.DomainEvent).values(created_at=utcnow() - timedelta(minutes=1)))
    db.commit()


def found(app, text):
    return {h.id for h in get_engine(app).search(SearchQuery(text, MINE)).hits}


def cursor(db):
    db.expire_all()
    return db.scalar(
        select(events.EventCursor.last_event_id).where(
            events.EventCursor.consumer == indexer.CONSUMER
        )
    )


def test_committed_events_are_indexed_once_by_the_job(app, db, builders):
    record(db, "note.saved", id=1, text="Loddsalg på lørdag")
    record(db, "unrelated.event", id=2)
    assert run_all(app)["search.index"] == 2
    assert found(app, "loddsalg") == {"note:1"}
    assert run_all(app)["search.index"] == 0  # the cursor remembers

    record(db, "note.saved", id=1, text="Kakesalg på lørdag")
    record(db, "note.saved", id=2, text="Loddsalg i mai")
    run_all(app)
    assert found(app, "loddsalg") == {"note:2"}
    assert found(app, "kakesalg") == {"note:1"}
    record(db, "note.saved", id=2, deleted=True)
    run_all(app)
    assert found(app, "loddsalg") == set()


def test_events_inside_the_safety_lag_wait_for_the_next_run(app, db, builders):
    events.record(db, "note.saved", id=1, text="Helt ferskt innlegg")
    db.commit()
    assert run_all(app)["search.index"] == 0
    assert found(app, "ferskt") == set()


def test_a_crash_between_index_and_cursor_commit_reapplies_without_duplicates(app, db, builders):
    record(db, "note.saved", id=1, text="Vårdugnad i parken")
    record(db, "note.saved", id=2, text="Høstdugnad i parken")
    engine = get_engine(app)
    with app.app_context():
        assert indexer.index_batch(db, engine) == 2
    db.rollback()  # the process died before the cursor was committed
    assert cursor(db) is None
    assert found(app, "parken") == {"note:1", "note:2"}  # the index had committed

    with app.app_context():
        assert indexer.index_pending(db, engine) == 2  # the same events again
    assert found(app, "parken") == {"note:1", "note:2"}
    assert engine.doc_count() == 2
    assert cursor(db) is not None
    assert indexer.index_pending(db, engine) == 0


def test_a_failing_builder_is_logged_and_skipped(app, db, builders, caplog):
    record(db, "note.broken", id=1, text="Referat fra styret")
    assert run_all(app)["search.index"] == 1
    assert found(app, "referat") == {"note:1"}  # the other builder still ran
    assert "a bug in some capability" in caplog.text


def test_a_busy_writer_makes_the_job_skip_not_wait(app, db, builders):
    record(db, "note.saved", id=1, text="Venter på tur")
    other_process = make_engine(app)
    with other_process.exclusive():
        assert run_all(app)["search.index"] == 0
    assert run_all(app)["search.index"] == 1


def test_rebuild_from_sources_replays_what_happened_meanwhile(app, db, builders, monkeypatch):
    record(db, "note.saved", id=1, text="Gammel tekst om sykkelvei")
    run_all(app)
    rows = [SearchDocument("post", "note:1", "group:1", "", "Ny tekst om sykkelvei", group_id=1),
            SearchDocument("post", "note:3", "group:1", "", "Sykkelvei langs fjorden",
                           group_id=1)]  # fmt: skip

    def notes(session):
        yield from rows
        # While the scan runs, a member writes something the scan no longer sees.
        record(db, "note.saved", id=4, text="Sykkelvei til skolen")
        run_all(app)  # the job indexes it into the old index

    monkeypatch.setattr(indexer, "_sources", {})
    indexer.rebuild_source("notes", count=lambda session: len(rows))(notes)
    told = []

    def progress(name, expected):
        told.append((name, expected))
        return lambda added: told.append(added)

    assert indexer.rebuild(app, progress) == 2
    assert told == [("notes", 2), 2]
    # The event indexed into the old index is replayed into the new one.
    run_all(app)
    assert found(app, "sykkelvei") == {"note:1", "note:3", "note:4"}


def test_cli_rebuild_shows_progress_and_switches(app, db, monkeypatch):
    monkeypatch.setattr(indexer, "_sources", {})
    indexer.rebuild_source("notes", count=lambda session: 1)(
        lambda session: [SearchDocument("group", "group:1", "org", "Sykkelgruppa", "")]
    )
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "notes" in result.output and "1 documents" in result.output
    hits = get_engine(app).search(SearchQuery("sykkelgruppa", {"org"})).hits
    assert [h.id for h in hits] == ["group:1"]
    status = app.test_cli_runner().invoke(args=["search", "status"])
    assert "1 documents" in status.output


def test_the_follower_indexes_an_edit_within_seconds(app, db, builders):
    record(db, "note.saved", id=1, text="Første versjon av uttalelsen")
    follower = indexer.start_follower(app, interval=0.05)
    try:
        wait_until(lambda: found(app, "versjon") == {"note:1"})
        record(db, "note.saved", id=1, text="Endelig tekst til uttalelsen")
        wait_until(lambda: found(app, "endelig") == {"note:1"})
        assert found(app, "versjon") == set()
    finally:
        follower.stop()


def wait_until(condition, seconds=10.0):
    # The follower runs in its own thread; poll its visible effect until a deadline.
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not indexed in time"
        time.sleep(0.02)
