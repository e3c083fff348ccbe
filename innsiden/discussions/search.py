"""Discussions in search: a "thread" document per thread (its title and opening post) and
a "post" document per reply, each readable by the members of its group. A hidden or
deleted post leaves the index; so does a thread whose opening post goes. A hit is shown
again only if the thread or post still stands for its document and passes "thread.read" /
"post.read"."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from innsiden.discussions.models import Post, Thread
from innsiden.discussions.reading import author_name
from innsiden.sanitize import plain_text
from innsiden.search.engine import Change, Delete, SearchDocument, group_audience
from innsiden.search.indexer import indexes, rebuild_source
from innsiden.search.registry import register_kind
from membersync.models import Member


def _document(post: Post, thread: Thread, opening: bool, author: str) -> SearchDocument:
    return SearchDocument(
        kind="thread" if opening else "post",
        id=f"thread:{thread.id}" if opening else f"post:{post.id}",
        audience=group_audience(thread.group_id),
        title=thread.title,
        body=plain_text(post.body_html),
        group_id=thread.group_id,
        author_name=author,
        created_at=post.created_at,
        url=f"/diskusjoner/innlegg/{post.id}",
        parent=None if opening else f"thread:{thread.id}",
    )


def _documents(session: Session, *where: Any) -> Iterator[SearchDocument]:
    first = aliased(Post)
    opening_id = (
        select(func.min(first.id)).where(first.thread_id == Post.thread_id).scalar_subquery()
    )
    rows = session.execute(
        select(Post, Thread, Member.first_name, Member.last_name, opening_id)
        .join(Thread, Thread.id == Post.thread_id)
        .outerjoin(Member, Member.number == Post.author_number)
        .where(Post.state == "visible", *where)
        .order_by(Post.id)
        .execution_options(yield_per=500)
    )
    for post, thread, first_name, last_name, opening in rows:
        yield _document(post, thread, post.id == opening, author_name(first_name, last_name))


@indexes("post.created", "post.edited", "post.hidden", "post.deleted")
def post_changes(session: Session, payload: dict[str, Any]) -> Iterator[Change]:
    post_id, thread_id = int(payload["post_id"]), int(payload["thread_id"])
    found = list(_documents(session, Post.id == post_id))
    if found:
        yield from found
        return
    opening = session.scalar(select(func.min(Post.id)).where(Post.thread_id == thread_id))
    if opening == post_id:
        yield Delete(f"thread:{thread_id}", with_children=True)
    else:
        yield Delete(f"post:{post_id}")


@indexes("thread.renamed", "thread.moved")
def thread_changes(session: Session, payload: dict[str, Any]) -> Iterator[Change]:
    """A renamed or moved thread: its documents carry the title and the group."""
    yield from _documents(session, Post.thread_id == int(payload["thread_id"]))


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count(Post.id)).where(Post.state == "visible")) or 0)


@rebuild_source("discussions", count=_count)
def all_posts(session: Session) -> Iterator[SearchDocument]:
    yield from _documents(session)


def visible_posts(session: Session, ids: Collection[int]) -> dict[int, Post]:
    """The visible posts among `ids`, with their threads from the same query (the
    "post.read" rule reads the thread)."""
    rows = session.execute(
        select(Post, Thread)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.id.in_(sorted(ids)), Post.state == "visible")
    )
    return {post.id: post for post, _thread in rows.unique()}


def threads_with_visible_opening(session: Session, ids: Collection[int]) -> dict[int, Thread]:
    """The threads among `ids` whose opening post (their document) is still visible."""
    opening = (
        select(func.min(Post.id)).where(Post.thread_id.in_(sorted(ids))).group_by(Post.thread_id)
    )
    rows = session.scalars(
        select(Thread)
        .join(Post, Post.thread_id == Thread.id)
        .where(Post.id.in_(opening), Post.state == "visible")
    )
    return {thread.id: thread for thread in rows.unique()}


register_kind("thread", action="thread.read", load_hits=threads_with_visible_opening)
register_kind("post", action="post.read", load_hits=visible_posts)
