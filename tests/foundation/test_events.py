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
