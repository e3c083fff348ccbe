"""Read marks: how far each member has read each thread (the newest post id shown to them).

Viewing a thread page moves the mark forward, never back. Page views are GET requests,
whose session never commits, so the mark is written in a short transaction of its own.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Connection, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from innsiden.discussions.models import ReadMark, Thread
from membersync.db import utcnow

__all__ = ["ReadMark", "last_read", "mark_group_read", "mark_read"]


def last_read(session: Session, member_number: int, thread_id: int) -> int | None:
    query = select(ReadMark.last_read_post_id).where(
        ReadMark.member_number == member_number, ReadMark.thread_id == thread_id
    )
    return session.scalar(query)


def _dialect(connection: Connection):  # noqa: ANN202 - the insert construct of the dialect
    return postgresql if connection.dialect.name == "postgresql" else sqlite


def _upsert(connection: Connection, rows: list[dict[str, object]]) -> None:
    insert = _dialect(connection).insert(ReadMark)
    statement = insert.on_conflict_do_update(
        index_elements=["member_number", "thread_id"],
        set_={"last_read_post_id": insert.excluded.last_read_post_id, "updated_at": utcnow()},
        where=ReadMark.last_read_post_id < insert.excluded.last_read_post_id,
    )
    connection.execute(statement, rows)


def _in_own_transaction(session: Session) -> bool:
    # GET requests read in a session that is never committed (see innsiden.db).
    return session.get_bind().get_execution_options().get("sqlite_begin") == "DEFERRED"


def mark_read(session: Session, member_number: int, thread_id: int, post_id: int) -> None:
    """Move the member's mark in the thread forward to `post_id` (never backwards)."""
    row = {
        "member_number": member_number,
        "thread_id": thread_id,
        "last_read_post_id": post_id,
        "updated_at": utcnow(),
    }
    if _in_own_transaction(session):
        engine = session.get_bind().execution_options(sqlite_begin="IMMEDIATE")
        with engine.begin() as connection:
            _upsert(connection, [row])
    else:
        _upsert(session.connection(), [row])


def mark_group_read(session: Session, member_number: int, group_id: int) -> None:
    """Mark every thread of a group as read (one statement, however many threads)."""
    connection = session.connection()
    insert = _dialect(connection).insert(ReadMark)
    source = select(
        literal(member_number, BigInteger),
        Thread.id,
        Thread.last_post_id,
        literal(utcnow(), ReadMark.updated_at.type),
    ).where(Thread.group_id == group_id)
    statement = insert.from_select(
        ["member_number", "thread_id", "last_read_post_id", "updated_at"], source
    ).on_conflict_do_update(
        index_elements=["member_number", "thread_id"],
        set_={"last_read_post_id": insert.excluded.last_read_post_id},
        where=ReadMark.last_read_post_id < insert.excluded.last_read_post_id,
    )
    connection.execute(statement)
