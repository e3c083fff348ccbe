"""Domain events are delivered after commit only, and durable consumers see each once."""

from datetime import timedelta

from innsiden import events
from membersync.db import utcnow


def test_events_are_delivered_after_commit_and_dropped_on_rollback(app, db):
    received = []
    listener = events.listen(lambda e: received.append(e.name))
    try:
        events.record(db, "test.rolled_back")
        db.rollback()
        assert received == []
        events.record(db, "test.committed", x=1)
        assert received == []
        db.commit()
        assert received == ["test.committed"]
    finally:
        events._listeners.remove(listener)


def test_consumer_sees_each_committed_event_once(app, db):
    events.record(db, "a.happened", n=1)
    events.record(db, "b.happened", n=2)
    db.commit()
    # Old enough to be past the consumer's safety lag.
    for row in db.query(events.DomainEvent):
        row.created_at = utcnow() - timedelta(minutes=1)
    db.commit()
    seen = []
    assert events.consume(db, "test", lambda e: seen.append(e.payload["n"])) == 2
    db.commit()
    assert events.consume(db, "test", lambda e: seen.append(e.payload["n"])) == 0
    assert seen == [1, 2]


def _aged(session, name: str, n: int, *, id: int | None = None) -> events.DomainEvent:
    """An event written as if long ago (past the consumers' lag), optionally with its id."""
    row = events.DomainEvent(
        name=name, payload={"n": n}, created_at=utcnow() - timedelta(minutes=1)
    )
    if id is not None:
        row.id = id
    session.add(row)
    session.flush()
    return row


def test_an_event_committed_below_the_cursor_is_delivered_once(app, db):
    first = _aged(db, "a.happened", 1)
    _aged(db, "c.happened", 3, id=first.id + 2)
    db.commit()
    seen = []
    assert events.consume(db, "test", lambda e: seen.append(e.payload["n"])) == 2
    db.commit()
    # The id between them commits only now, after the cursor has passed it.
    _aged(db, "b.happened", 2, id=first.id + 1)
    db.commit()
    assert events.consume(db, "test", lambda e: seen.append(e.payload["n"])) == 1
    db.commit()
    assert events.consume(db, "test", lambda e: seen.append(e.payload["n"])) == 0
    assert seen == [1, 3, 2]


def test_a_long_open_transaction_is_not_skipped_on_postgresql(app, db):
    if db.get_bind().dialect.name != "postgresql":
        return  # SQLite has one writer at a time: ids are handed out in commit order there.
    from sqlalchemy.orm import Session

    seen = []
    _aged(db, "earlier.happened", 0)
    db.commit()
    assert events.consume(db, "test", lambda e: seen.append(e.payload["n"])) == 1
    db.commit()
    slow = Session(bind=db.get_bind())
    try:
        held = _aged(slow, "slow.happened", 1)  # takes its id, then stays open
        _aged(db, "fast.happened", 2)
        db.commit()
        assert events.consume(db, "test", lambda e: seen.append(e.payload["n"])) == 1
        db.commit()
        slow.commit()
        assert events.consume(db, "test", lambda e: seen.append(e.payload["n"])) == 1
        db.commit()
        assert events.consume(db, "test", lambda e: seen.append(e.payload["n"])) == 0
        assert seen == [0, 2, 1]
        assert held.id < db.get(events.EventCursor, "test").last_event_id
    finally:
        slow.close()


def test_a_gap_that_never_commits_is_forgotten(app, db):
    first = _aged(db, "a.happened", 1)
    _aged(db, "c.happened", 3, id=first.id + 2)
    db.commit()
    events.consume(db, "test", lambda e: None)
    db.commit()
    cursor = db.get(events.EventCursor, "test")
    assert cursor.open_gaps == {str(first.id + 1): cursor.open_gaps[str(first.id + 1)]}
    # A rolled-back id is watched only for GAP_PATIENCE.
    cursor.open_gaps = {str(first.id + 1): (utcnow() - events.GAP_PATIENCE * 2).isoformat()}
    db.commit()
    events.consume(db, "test", lambda e: None)
    db.commit()
    assert db.get(events.EventCursor, "test").open_gaps is None
