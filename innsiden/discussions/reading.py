"""What discussion pages show: a thread page (keyset pages of 50 posts), a group's thread
list, unread state — each in a fixed handful of queries, whatever the number of posts.

Per-post buttons are derived from three group-level answers asked once per page
(`Abilities`), mirroring the rules in `permissions.py`; every write asks the rules again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import Select, and_, case, exists, func, select
from sqlalchemy.orm import Session, aliased, lazyload

from innsiden import access
from innsiden.discussions import documents, readmarks
from innsiden.discussions.models import (
    REACTION_EMOJI,
    REACTION_KINDS,
    Attachment,
    Post,
    Reaction,
    Thread,
)
from innsiden.files.listing import FileRow
from innsiden.groups.models import Group
from innsiden.sanitize import plain_excerpt
from membersync.models import Member

PAGE_SIZE = 50
THREADS_PER_PAGE = 30
MAX_PINNED = 20


@dataclass(frozen=True)
class Abilities:
    """The viewer's standing in the thread's group, asked once per page."""

    member_number: int
    post: bool  # may write in the group
    moderate: bool
    reply: bool  # may reply to this thread (not locked)

    @classmethod
    def of(cls, session: Session, member: Member, thread: Thread) -> Abilities:
        post = access.can(session, member, "group.post", thread.group)
        return cls(
            member_number=member.number,
            post=post,
            moderate=access.can(session, member, "thread.moderate", thread),
            reply=post and not thread.locked,  # the "thread.reply" rule, without asking twice
        )


@dataclass(frozen=True)
class ReactionCount:
    kind: str
    emoji: str
    count: int
    mine: bool


@dataclass(frozen=True)
class Quote:
    post_id: int
    author_name: str
    excerpt: str  # plain text; empty when the quoted post is gone
    gone: bool


@dataclass
class PostView:
    post: Post
    author_name: str
    reactions: list[ReactionCount] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)  # pictures
    documents: list[FileRow] = field(default_factory=list)  # files of the group's file area
    quote: Quote | None = None
    first_unread: bool = False
    can_edit: bool = False
    can_delete: bool = False
    can_react: bool = False
    can_report: bool = False
    can_hide: bool = False

    @property
    def id(self) -> int:
        return self.post.id

    @property
    def reaction_buttons(self) -> list[ReactionCount]:
        """Every kind in the fixed order, with this post's count (0 if none)."""
        have = {r.kind: r for r in self.reactions}
        return [
            have.get(kind) or ReactionCount(kind, REACTION_EMOJI[kind], 0, False)
            for kind in REACTION_KINDS
        ]


@dataclass
class ThreadPage:
    thread: Thread
    posts: list[PostView]
    abilities: Abilities
    has_older: bool
    has_newer: bool
    last_read_post_id: int | None

    @property
    def first_id(self) -> int | None:
        return self.posts[0].id if self.posts else None

    @property
    def last_id(self) -> int | None:
        return self.posts[-1].id if self.posts else None


def author_name(first: str | None, last: str | None) -> str:
    # A former member's personal data goes; their words stay with the organisation.
    return f"{first or ''} {last or ''}".strip() or _("tidligere medlem")


def _visible_posts(thread: Thread, abilities: Abilities) -> Select[tuple[Post, str, str]]:
    query = (
        select(Post, Member.first_name, Member.last_name)
        .outerjoin(Member, Member.number == Post.author_number)
        .where(Post.thread_id == thread.id)
    )
    return query if abilities.moderate else query.where(Post.state != "hidden")


class _Unread:
    """ "Not read yet" for `thread_page(mark=…)`, where None means "no mark"."""


_UNREAD = _Unread()


def thread_page(
    session: Session,
    member: Member,
    thread: Thread,
    *,
    start: int | None = None,
    before: int | None = None,
    newest: bool = False,
    mark: int | _Unread | None = _UNREAD,
) -> ThreadPage:
    """One page: from post id `start` on, the 50 before `before`, or the newest 50.

    `mark` is the member's read mark when the caller has read it already."""
    abilities = Abilities.of(session, member, thread)
    query = _visible_posts(thread, abilities)
    if before is not None or newest:
        if before is not None:
            query = query.where(Post.id < before)
        rows = list(session.execute(query.order_by(Post.id.desc()).limit(PAGE_SIZE + 1)))
        rows = rows[:PAGE_SIZE][::-1]
    else:
        query = query.where(Post.id >= (start or 0))
        rows = list(session.execute(query.order_by(Post.id).limit(PAGE_SIZE)))
    if isinstance(mark, _Unread):
        mark = readmarks.last_read(session, member.number, thread.id)
    views = [PostView(post, author_name(first, last)) for post, first, last in rows]
    has_older, has_newer = _neighbours(session, thread, abilities, views)
    _add_details(session, member, views, abilities, mark)
    return ThreadPage(thread, views, abilities, has_older, has_newer, mark)


def _neighbours(
    session: Session, thread: Thread, abilities: Abilities, views: list[PostView]
) -> tuple[bool, bool]:
    if not views:
        return False, False
    shown = Post.thread_id == thread.id
    if not abilities.moderate:
        shown = and_(shown, Post.state != "hidden")
    older = exists().where(shown, Post.id < views[0].id)
    newer = exists().where(shown, Post.id > views[-1].id)
    row = session.execute(select(older, newer)).one()
    return bool(row[0]), bool(row[1])


def _add_details(
    session: Session,
    member: Member,
    views: list[PostView],
    abilities: Abilities,
    mark: int | None,
) -> None:
    ids = [v.id for v in views]
    if not ids:
        return
    reactions = reaction_counts(session, member.number, ids)
    attachments = attachments_of(session, ids)
    files = documents.of_posts(session, ids)
    quotes = _quotes(session, [v.post.quote_of_id for v in views if v.post.quote_of_id])
    unread_marked = False
    for view in views:
        post = view.post
        view.reactions = reactions.get(post.id, [])
        view.attachments = attachments.get(post.id, [])
        view.documents = files.get(post.id, [])
        view.quote = quotes.get(post.quote_of_id) if post.quote_of_id else None
        if mark is not None and post.id > mark and not unread_marked:
            view.first_unread = unread_marked = True
        _set_buttons(view, abilities)


def _set_buttons(view: PostView, abilities: Abilities) -> None:
    """The buttons of one post, by the same logic as the post.* rules (see permissions.py)."""
    post, mine = view.post, view.post.author_number == abilities.member_number
    visible = post.state == "visible"
    view.can_edit = visible and mine and abilities.post
    view.can_delete = post.state != "deleted" and (mine or abilities.moderate)
    view.can_react = visible and abilities.post
    view.can_report = visible and not mine
    view.can_hide = visible and abilities.moderate


def reaction_counts(
    session: Session, member_number: int, post_ids: list[int]
) -> dict[int, list[ReactionCount]]:
    """post id → the reactions it has (in the fixed order), with the viewer's own marked."""
    mine = func.max(case((Reaction.member_number == member_number, 1), else_=0))
    rows = session.execute(
        select(Reaction.post_id, Reaction.kind, func.count(), mine)
        .where(Reaction.post_id.in_(post_ids))
        .group_by(Reaction.post_id, Reaction.kind)
    )
    found: dict[int, dict[str, tuple[int, bool]]] = defaultdict(dict)
    for post_id, kind, count, flag in rows:
        found[post_id][kind] = (int(count), bool(flag))
    return {
        post_id: [
            ReactionCount(kind, REACTION_EMOJI[kind], *kinds[kind])
            for kind in REACTION_KINDS
            if kind in kinds
        ]
        for post_id, kinds in found.items()
    }


def attachments_of(session: Session, post_ids: list[int]) -> dict[int, list[Attachment]]:
    found: dict[int, list[Attachment]] = defaultdict(list)
    query = select(Attachment).where(Attachment.post_id.in_(post_ids)).order_by(Attachment.id)
    for attachment in session.scalars(query):
        found[attachment.post_id].append(attachment)
    return found


def _quotes(session: Session, post_ids: list[int]) -> dict[int, Quote]:
    if not post_ids:
        return {}
    rows = session.execute(
        select(Post.id, Post.state, Post.body_html, Member.first_name, Member.last_name)
        .outerjoin(Member, Member.number == Post.author_number)
        .where(Post.id.in_(sorted(set(post_ids))))
    )
    quotes = {}
    for post_id, state, body_html, first, last in rows:
        gone = state != "visible"  # a hidden or deleted post is never quoted from again
        excerpt = "" if gone else plain_excerpt(body_html, 300)
        quotes[post_id] = Quote(post_id, "" if gone else author_name(first, last), excerpt, gone)
    return quotes


def post_view(session: Session, member: Member, post: Post) -> PostView:
    """One post as the thread page shows it (for live updates of open pages)."""
    abilities = Abilities.of(session, member, post.thread)
    author = session.get(Member, post.author_number) if post.author_number else None
    view = PostView(post, author.full_name if author else author_name(None, None))
    mark = readmarks.last_read(session, member.number, post.thread_id)
    _add_details(session, member, [view], abilities, mark)
    view.first_unread = False
    return view


@dataclass(frozen=True)
class ThreadRow:
    thread: Thread
    author_name: str
    unread: bool
    last_read_post_id: int | None


def group_threads(
    session: Session, member: Member, group: Group, *, before: int | None = None
) -> tuple[list[ThreadRow], int | None]:
    """Pinned threads (first page only), then the rest by latest activity, 30 at a time.

    Returns the rows and the cursor of the next page (None on the last)."""
    mark = aliased(readmarks.ReadMark)
    base = (
        select(Thread, Member.first_name, Member.last_name, mark.last_read_post_id)
        .options(lazyload(Thread.group))  # the group is in the identity map already
        .outerjoin(Member, Member.number == Thread.author_number)
        .outerjoin(mark, and_(mark.thread_id == Thread.id, mark.member_number == member.number))
        .where(Thread.group_id == group.id)
    )
    rows = []
    if before is None:
        pinned = base.where(Thread.pinned.is_(True)).order_by(Thread.last_post_id.desc())
        rows += list(session.execute(pinned.limit(MAX_PINNED)))
    rest = base.where(Thread.pinned.is_(False))
    if before is not None:
        rest = rest.where(Thread.last_post_id < before)
    page = list(
        session.execute(rest.order_by(Thread.last_post_id.desc()).limit(THREADS_PER_PAGE + 1))
    )
    cursor = page[THREADS_PER_PAGE - 1][0].last_post_id if len(page) > THREADS_PER_PAGE else None
    rows += page[:THREADS_PER_PAGE]
    return [
        ThreadRow(t, author_name(first, last), t.last_post_id > (seen or 0), seen)
        for t, first, last, seen in rows
    ], cursor


def unread_threads(session: Session, member: Member, group_ids: list[int]) -> dict[int, int]:
    """group id → how many of its threads have posts the member has not seen (one query)."""
    if not group_ids:
        return {}
    mark = aliased(readmarks.ReadMark)
    rows = session.execute(
        select(Thread.group_id, func.count())
        .outerjoin(mark, and_(mark.thread_id == Thread.id, mark.member_number == member.number))
        .where(Thread.group_id.in_(sorted(set(group_ids))))
        .where(Thread.last_post_id > func.coalesce(mark.last_read_post_id, 0))
        .group_by(Thread.group_id)
    )
    return {group_id: int(count) for group_id, count in rows}


def first_unread_id(session: Session, thread: Thread, mark: int, moderate: bool) -> int | None:
    """The first post after the read mark the member may see, if any."""
    query = select(func.min(Post.id)).where(Post.thread_id == thread.id, Post.id > mark)
    if not moderate:
        query = query.where(Post.state != "hidden")
    return session.scalar(query)
