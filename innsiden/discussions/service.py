"""The discussions service: threads, replies, edits, deletions and reactions.

Every function takes the session, the acting member and plain values, asks
`innsiden.access` (404 outside what the member can see), flushes, records domain events
(`post.created`, `post.edited`, `post.deleted`, `post.reacted`, `thread.created`,
`thread.renamed`; moderation adds `thread.updated`, `post.hidden`, `post.reported`) and
never commits. Moderation (pin, lock, reports, hiding) is in `moderation.py`; reading
pages in `reading.py`; pictures in `attachments.py`.

Event payloads (JSON): `post_id`, `thread_id`, `group_id`, `author_number`, and for
created/edited posts `mentions` (numbers of group members newly mentioned).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from innsiden import access, events
from innsiden.discussions import attachments, readmarks, text
from innsiden.discussions.attachments import PreparedImage
from innsiden.discussions.models import REACTION_KINDS, Post, PostRevision, Reaction, Thread
from innsiden.errors import ValidationFailed
from innsiden.groups import service as groups
from innsiden.groups.models import Group
from membersync.db import utcnow
from membersync.models import Member

MAX_TITLE = 200


def get_thread(session: Session, member: Member, thread_id: int) -> Thread:
    """The thread, if the member may read it; NotFound otherwise."""
    thread = session.get(Thread, thread_id)
    access.require(session, member, "thread.read", thread)
    assert thread is not None
    return thread


def get_post(session: Session, member: Member, post_id: int) -> Post:
    """The post, if the member may read it (a hidden post: moderators only); else NotFound."""
    post = session.get(Post, post_id)
    access.require(session, member, "post.read", post)
    assert post is not None
    return post


def require_create(session: Session, member: Member, group: Group) -> None:
    """Before showing the new-thread form: may the member start threads here?"""
    access.require(session, member, "thread.create", group, visible=True)


def require_edit(session: Session, member: Member, post: Post) -> None:
    access.require(session, member, "post.edit", post, visible=True)


def opening_post_id(session: Session, thread_id: int) -> int | None:
    return session.scalar(select(func.min(Post.id)).where(Post.thread_id == thread_id))


def check_title(title: str) -> str:
    title = " ".join(title.split())
    if not 3 <= len(title) <= MAX_TITLE:
        raise ValidationFailed(fields={"title": _("Tittelen må ha mellom 3 og 200 tegn.")})
    return title


def create_thread(
    session: Session,
    member: Member,
    group_id: int,
    *,
    title: str,
    body: str,
    images: Sequence[PreparedImage] = (),
) -> tuple[Thread, Post]:
    group = groups.visible_group(session, member, group_id)
    access.require(session, member, "group.read", group)
    access.require(session, member, "thread.create", group, visible=True)
    errors: dict[str, str] = {}
    try:
        title = check_title(title)
    except ValidationFailed as error:
        errors.update(error.fields)
    try:
        rendered = text.render(session, group, body)
    except ValidationFailed as error:
        errors.update(error.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    thread = Thread(group_id=group.id, title=title, author_number=member.number, group=group)
    session.add(thread)
    session.flush()
    post = _add_post(session, member, thread, rendered, quote_of=None, images=images)
    events.record(session, "thread.created", thread_id=thread.id, group_id=group.id)
    return thread, post


def reply(
    session: Session,
    member: Member,
    thread: Thread,
    *,
    body: str,
    quote_of: int | None = None,
    images: Sequence[PreparedImage] = (),
) -> Post:
    access.require(session, member, "thread.read", thread)
    if thread.locked:
        raise ValidationFailed(_("Tråden er låst. Den tar ikke imot flere svar."))
    access.require(session, member, "thread.reply", thread, visible=True)
    rendered = text.render(session, thread.group, body)
    quoted = _quotable(session, member, thread, quote_of)
    return _add_post(session, member, thread, rendered, quote_of=quoted, images=images)


def _quotable(session: Session, member: Member, thread: Thread, post_id: int | None) -> int | None:
    if post_id is None:
        return None
    post = session.get(Post, post_id)
    if post is None or post.thread_id != thread.id or post.state != "visible":
        raise ValidationFailed(_("Innlegget du siterer finnes ikke lenger."))
    return post.id


def _add_post(
    session: Session,
    member: Member,
    thread: Thread,
    rendered: text.RenderedText,
    *,
    quote_of: int | None,
    images: Sequence[PreparedImage],
) -> Post:
    post = Post(
        thread_id=thread.id,
        group_id=thread.group_id,
        author_number=member.number,
        quote_of_id=quote_of,
        body_source=rendered.source,
        body_html=rendered.html,
        thread=thread,
    )
    session.add(post)
    session.flush()
    session.add_all(attachments.store(post, list(images)))
    opening = thread.last_post_id == 0
    thread.last_post_id, thread.last_post_at = post.id, post.created_at
    if not opening:
        thread.reply_count += 1
    session.flush()
    readmarks.mark_read(session, member.number, thread.id, post.id)  # one's own post is read
    events.record(
        session,
        "post.created",
        post_id=post.id,
        thread_id=thread.id,
        group_id=thread.group_id,
        author_number=member.number,
        opening=opening,
        mentions=list(rendered.mentioned),
    )
    return post


def edit_post(session: Session, member: Member, post: Post, *, body: str) -> Post:
    """Replace the text; the previous version goes to the visible edit history."""
    access.require(session, member, "post.read", post)
    access.require(session, member, "post.edit", post, visible=True)
    before = set(text.render(session, post.thread.group, post.body_source).mentioned)
    rendered = text.render(session, post.thread.group, body)
    if rendered.source == post.body_source:
        return post
    session.add(
        PostRevision(
            post_id=post.id,
            body_source=post.body_source,
            body_html=post.body_html,
            written_at=post.edited_at or post.created_at,
        )
    )
    post.body_source, post.body_html = rendered.source, rendered.html
    post.edited_at, post.edit_count = utcnow(), post.edit_count + 1
    session.flush()
    events.record(
        session,
        "post.edited",
        **_ids(post),
        author_number=member.number,
        mentions=[n for n in rendered.mentioned if n not in before],
    )
    return post


def edit_title(session: Session, member: Member, thread: Thread, title: str) -> None:
    """The thread's starter may rename it (with their opening post)."""
    if thread.author_number != member.number:
        access.require(session, member, "thread.moderate", thread, visible=True)
    thread.title = check_title(title)
    session.flush()
    events.record(session, "thread.renamed", thread_id=thread.id, group_id=thread.group_id)


def delete_post(session: Session, member: Member, post: Post) -> Post:
    """Soft delete: the post stays in its place, shown as "slettet innlegg"."""
    access.require(session, member, "post.read", post)
    access.require(session, member, "post.delete", post, visible=True)
    post.state, post.deleted_at = "deleted", utcnow()
    session.execute(delete(Reaction).where(Reaction.post_id == post.id))
    session.flush()
    events.record(session, "post.deleted", **_ids(post), author_number=member.number)
    return post


def set_reaction(session: Session, member: Member, post: Post, kind: str, *, on: bool) -> None:
    """Add (`on`) or take back one reaction; adding twice is the same as once."""
    access.require(session, member, "post.read", post)
    if kind not in REACTION_KINDS:
        raise ValidationFailed(fields={"kind": _("Ukjent reaksjon.")})
    access.require(session, member, "post.react", post, visible=True)
    if on:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(
            dialect.insert(Reaction)
            .values(post_id=post.id, member_number=member.number, kind=kind, created_at=utcnow())
            .on_conflict_do_nothing()
        )
    else:
        session.execute(
            delete(Reaction).where(
                Reaction.post_id == post.id,
                Reaction.member_number == member.number,
                Reaction.kind == kind,
            )
        )
    session.flush()
    events.record(session, "post.reacted", **_ids(post))


def toggle_reaction(session: Session, member: Member, post: Post, kind: str) -> bool:
    """The page's reaction button: on if it was off, off if on. Returns the new state."""
    mine = session.scalar(
        select(Reaction.kind).where(
            Reaction.post_id == post.id,
            Reaction.member_number == member.number,
            Reaction.kind == kind,
        )
    )
    set_reaction(session, member, post, kind, on=mine is None)
    return mine is None


def revisions(session: Session, member: Member, post: Post) -> list[PostRevision]:
    """Earlier versions of a post, newest first (anyone who may read the post sees them)."""
    access.require(session, member, "post.read", post)
    if post.state != "visible":
        return []
    query = select(PostRevision).where(PostRevision.post_id == post.id)
    return list(session.scalars(query.order_by(PostRevision.id.desc())))


def _ids(post: Post) -> dict[str, int]:
    return {"post_id": post.id, "thread_id": post.thread_id, "group_id": post.group_id}


def group_of(session: Session, member: Member, group_id: int) -> Group:
    """A group whose discussions the member may read (404 otherwise)."""
    group = groups.visible_group(session, member, group_id)
    access.require(session, member, "group.read", group)
    return group
