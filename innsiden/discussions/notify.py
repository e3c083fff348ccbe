"""Discussions in notifications: mentions, replies in threads a member is in, the digest.

- "discussions.mention": a group member mentioned in a new or edited post.
- "discussions.reply": a new reply in a thread the member started or wrote in (both the
  "all" and "mine" group levels get these; the mechanism drops muted groups, "none").
- Subject "post:<id>": shown while the post is visible and its thread readable.
- Digest: new threads and replies in the member's groups since the last digest.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.discussions.models import Post, Thread
from innsiden.discussions.permissions import visible_posts_clause
from innsiden.groups.models import Group
from innsiden.notifications.registry import (
    DigestItem,
    Draft,
    digest_source,
    notifies,
    subject_visibility,
    subject_visibility_batch,
)
from innsiden.sanitize import plain_excerpt
from membersync.models import Member

EXCERPT = 200
DIGEST_LIMIT = 50


def post_url(post: Post) -> str:
    return f"/diskusjoner/innlegg/{post.id}"


def _context(session: Session, payload: dict[str, Any]) -> tuple[Post, Thread, str] | None:
    post = session.get(Post, payload["post_id"])
    if post is None or post.state != "visible":
        return None
    author = session.get(Member, post.author_number) if post.author_number else None
    return post, post.thread, author.full_name if author else _("tidligere medlem")


@notifies("post.created", "post.edited")
def _mentions(session: Session, payload: dict[str, Any]) -> Iterator[Draft]:
    found = _context(session, payload)
    if found is None:
        return
    post, thread, author = found
    for number in payload.get("mentions", []):
        yield Draft(
            recipient_number=int(number),
            kind="discussions.mention",
            title=_("%(name)s nevnte deg i «%(title)s»", name=author, title=thread.title),
            url=post_url(post),
            excerpt=plain_excerpt(post.body_html, EXCERPT),
            group_id=thread.group_id,
            subject=f"post:{post.id}",
            actor_number=post.author_number,
        )


@notifies("post.created")
def _replies(session: Session, payload: dict[str, Any]) -> Iterator[Draft]:
    found = _context(session, payload)
    if found is None or payload.get("opening"):
        return
    post, thread, author = found
    mentioned = {int(n) for n in payload.get("mentions", [])}  # told already, as a mention
    writers = set(
        session.scalars(
            select(Post.author_number)
            .where(Post.thread_id == thread.id, Post.id < post.id, Post.state == "visible")
            .where(Post.author_number.is_not(None))
            .distinct()
        )
    )
    if thread.author_number is not None:
        writers.add(thread.author_number)
    for number in sorted(writers - mentioned - {post.author_number}):
        yield Draft(
            recipient_number=number,
            kind="discussions.reply",
            title=_("%(name)s svarte i «%(title)s»", name=author, title=thread.title),
            url=post_url(post),
            excerpt=plain_excerpt(post.body_html, EXCERPT),
            group_id=thread.group_id,
            subject=f"post:{post.id}",
            actor_number=post.author_number,
        )


@subject_visibility("post")
def _post_visible(session: Session, member: Member, ident: str) -> bool:
    post = session.get(Post, int(ident)) if ident.isdigit() else None
    return (
        post is not None
        and post.state == "visible"
        and access.can(session, member, "post.read", post)
    )


@subject_visibility_batch("post")
def _posts_visible(session: Session, member: Member, idents: Collection[str]) -> set[str]:
    ids = _ids(idents)
    query = select(Post.id).where(Post.id.in_(ids), visible_posts_clause(session, member))
    return {str(i) for i in session.scalars(query)} if ids else set()


def _ids(idents: Collection[str]) -> list[int]:
    return sorted({int(i) for i in idents if i.isdigit()})


@digest_source
def _digest(
    session: Session, member: Member, group_ids: Collection[int], since: datetime
) -> list[DigestItem]:
    """One item per thread with new visible posts in the groups, newest activity first;
    a thread where only the member wrote since is no news to them and is left out."""
    if not group_ids:
        return []
    new = (
        select(
            Post.thread_id,
            func.count().label("posts"),
            func.min(Post.id).label("first_id"),
            func.max(Post.created_at).label("latest"),
        )
        .where(Post.group_id.in_(sorted(set(group_ids))), Post.created_at > since)
        .where(Post.state == "visible")
        .group_by(Post.thread_id)
        .subquery()
    )
    rows = (
        session.execute(
            select(Thread, Group, new.c.posts, new.c.latest, Post)
            .join(new, new.c.thread_id == Thread.id)
            .join(Group, Group.id == Thread.group_id)
            .join(Post, Post.id == new.c.first_id)
            .order_by(new.c.latest.desc())
            .limit(DIGEST_LIMIT)
        )
        .unique()
        .all()
    )
    covered = _others_new_posts(session, member, [thread.id for thread, *_ in rows], since)
    items = []
    for thread, group, count, latest, first in rows:
        if not covered.get(thread.id):
            continue
        started = thread.created_at > since
        title = (
            _("Ny tråd: %(title)s", title=thread.title)
            if started
            else _("%(count)d nye svar i «%(title)s»", count=count, title=thread.title)
        )
        items.append(
            DigestItem(
                group_id=group.id,
                group_name=group.name,
                title=title,
                url=post_url(first),
                excerpt=plain_excerpt(first.body_html, EXCERPT),
                created_at=latest,
                subjects=frozenset(covered.get(thread.id, ())),
            )
        )
    return items


def _others_new_posts(
    session: Session, member: Member, thread_ids: list[int], since: datetime
) -> dict[int, set[str]]:
    """Per thread, the subjects ("post:<id>") of the new visible posts others wrote: what a
    digest item tells the member of."""
    if not thread_ids:
        return {}
    query = select(Post.thread_id, Post.id).where(
        Post.thread_id.in_(thread_ids),
        Post.created_at > since,
        Post.state == "visible",
        or_(Post.author_number.is_(None), Post.author_number != member.number),
    )
    covered: dict[int, set[str]] = {}
    for thread_id, post_id in session.execute(query):
        covered.setdefault(thread_id, set()).add(f"post:{post_id}")
    return covered
