"""Who may do what in discussions: rules registered with `innsiden.access`, and the
realtime room kind "thread".

Every rule delegates to the group's rules for the thread's group, then adds the thread's
and the post's own state (targets: a Thread or a Post):
- thread.read — "group.read" of its group.
- thread.create (target: a Group) — "group.post".
- thread.reply — "group.post", and the thread is not locked.
- thread.moderate — "group.moderate" (pin, lock, hide posts, see hidden posts and reports).
- post.read — thread.read; a hidden post only for moderators.
- post.edit — its author, while the post is visible and they may still write in the group.
- post.delete — its author (or a moderator), while it is not deleted already.
- post.react / post.report — thread.read and a visible post (reacting also needs
  "group.post": an archived group is read-only).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from innsiden import realtime
from innsiden.access import can, rule
from innsiden.discussions.models import Post, Thread
from innsiden.groups.models import Group
from innsiden.groups.permissions import readable_clause
from membersync.models import Member


def _thread_of(target: Any) -> Thread | None:
    # A post's thread comes from the identity map when the page loaded it (no query).
    if isinstance(target, Thread):
        return target
    return target.thread if isinstance(target, Post) else None


@rule("thread.read")
def _read(session: Session, member: Member, target: Any) -> bool:
    thread = _thread_of(target)
    return thread is not None and can(session, member, "group.read", thread.group)


@rule("thread.create")
def _create(session: Session, member: Member, group: Any) -> bool:
    return isinstance(group, Group) and can(session, member, "group.post", group)


@rule("thread.reply")
def _reply(session: Session, member: Member, target: Any) -> bool:
    thread = _thread_of(target)
    return (
        thread is not None
        and not thread.locked
        and can(session, member, "group.post", thread.group)
    )


@rule("thread.moderate")
def _moderate(session: Session, member: Member, target: Any) -> bool:
    thread = _thread_of(target)
    return thread is not None and can(session, member, "group.moderate", thread.group)


@rule("post.read")
def _post_read(session: Session, member: Member, post: Any) -> bool:
    if not isinstance(post, Post) or not can(session, member, "thread.read", _thread_of(post)):
        return False
    return post.state != "hidden" or can(session, member, "thread.moderate", _thread_of(post))


def visible_posts_clause(session: Session, member: Member) -> ColumnElement[bool]:
    """SQL on Post: the visible posts `member` may read — "post.read" of visible posts, for
    many at once (notifications; tests/discussions/test_rule_agreement.py checks it)."""
    readable_threads = select(Thread.id).where(
        Thread.group_id.in_(select(Group.id).where(readable_clause(session, member)))
    )
    return and_(Post.state == "visible", Post.thread_id.in_(readable_threads))


@rule("post.edit")
def _post_edit(session: Session, member: Member, post: Any) -> bool:
    thread = _thread_of(post)
    return (
        isinstance(post, Post)
        and thread is not None
        and post.state == "visible"
        and post.author_number == member.number
        and can(session, member, "group.post", thread.group)
    )


@rule("post.delete")
def _post_delete(session: Session, member: Member, post: Any) -> bool:
    if not isinstance(post, Post) or post.state == "deleted":
        return False
    if not can(session, member, "post.read", post):
        return False
    return post.author_number == member.number or can(
        session, member, "thread.moderate", _thread_of(post)
    )


@rule("post.react")
def _post_react(session: Session, member: Member, post: Any) -> bool:
    thread = _thread_of(post)
    return (
        isinstance(post, Post)
        and thread is not None
        and post.state == "visible"
        and can(session, member, "group.post", thread.group)
    )


@rule("post.report")
def _post_report(session: Session, member: Member, post: Any) -> bool:
    return (
        isinstance(post, Post)
        and post.state == "visible"
        and can(session, member, "thread.read", _thread_of(post))
    )


@realtime.room_kind("thread")
def _thread_room(session: Session, member: Member, ident: str) -> bool:
    """Live updates of a thread ("thread:<id>") go to those who may read it."""
    if not ident.isdigit():
        return False
    return can(session, member, "thread.read", session.get(Thread, int(ident)))
