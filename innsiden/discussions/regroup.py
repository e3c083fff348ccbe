"""Threads follow their group when the register merges lokallag, and a leader may move one
thread from a split group's archive to a new group (`innsiden.groups.reshape`).

A moved thread keeps its posts, authors, reactions and read marks (all keyed by thread or
post); it is marked "fra <old group>" and re-indexed under the new group's audience.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from innsiden import events
from innsiden.discussions.models import Post, Report, Thread
from innsiden.groups.models import Group
from innsiden.groups.reshape import mark_moved, moves_item, moves_with_group


@moves_with_group
def carry_threads(session: Session, old: Group, new: Group, origin_label: str) -> None:
    ids = list(session.scalars(select(Thread.id).where(Thread.group_id == old.id)))
    _move(session, ids, old, new, origin_label, None)


def _threads_in(session: Session, group: Group) -> list[tuple[int, str]]:
    query = select(Thread.id, Thread.title).where(Thread.group_id == group.id).order_by(Thread.id)
    return [(int(i), str(t)) for i, t in session.execute(query)]


@moves_item("thread", listing=_threads_in)
def move_thread(
    session: Session, thread_id: int, old: Group, new: Group, label: str, moved_by: int | None
) -> str | None:
    thread = session.get(Thread, thread_id)
    if thread is None or thread.group_id != old.id:
        return None
    title = thread.title
    _move(session, [thread_id], old, new, label, moved_by)
    return title


def _move(
    session: Session,
    ids: Collection[int],
    old: Group,
    new: Group,
    label: str,
    moved_by: int | None,
) -> None:
    if not ids:
        return
    chosen = sorted(ids)
    posts = select(Post.id).where(Post.thread_id.in_(chosen)).scalar_subquery()
    for statement in (
        update(Report).where(Report.group_id == old.id, Report.post_id.in_(posts)),
        update(Post).where(Post.group_id == old.id, Post.thread_id.in_(chosen)),
        update(Thread).where(Thread.group_id == old.id, Thread.id.in_(chosen)),
    ):
        session.execute(
            statement.values(group_id=new.id).execution_options(synchronize_session="fetch")
        )
    session.flush()
    mark_moved(session, "thread", ids, old, label, moved_by)
    for thread_id in sorted(ids):
        events.record(session, "thread.moved", thread_id=thread_id, group_id=new.id)
    session.flush()
