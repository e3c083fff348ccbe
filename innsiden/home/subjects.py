"""The subjects stream entries point at, as the front page loads, checks and links them.

Loaded without the collections a listing does not show (an event's questions, a poll's
options), so a page's statements do not depend on which kinds happen to be on it, and with
each subject's group taken from the member's groups already in the session (a many-to-one
lazy load by primary key finds it there without a query).

Each check is the capability's own rule in `innsiden.access` ("post.read", "file.read", …),
asked when the entry is shown; a post also has to be visible (a moderator's hidden post or a
deleted one is news to nobody).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from flask import url_for
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, defer, joinedload, lazyload

from innsiden import access
from innsiden.discussions.models import Post, Thread
from innsiden.files.models import File
from innsiden.gatherings.models import Gathering
from innsiden.groups.models import Group
from innsiden.home.feed import SubjectKind, subject_kind
from innsiden.polls.models import Poll
from membersync.models import Member

Loader = Callable[[Session, Collection[int]], dict[int, Any]]


def _by_id(model: Any, options: Callable[[], tuple[Any, ...]] = tuple) -> Loader:
    """Load many rows of `model` by id in one query; the statement is built once, at first
    use (building a statement with loader options costs more than running it)."""
    built: list[Any] = []

    def load(session: Session, ids: Collection[int]) -> dict[int, Any]:
        if not built:
            ids_param = bindparam("ids", expanding=True)
            built.append(select(model).where(model.id.in_(ids_param)).options(*options()))
        rows = session.scalars(built[0], {"ids": sorted(ids)}).unique()
        return {row.id: row for row in rows}

    return load


def _rule(action: str) -> Any:
    def check(session: Session, member: Member, subject: Any) -> bool:
        return access.can(session, member, action, subject)

    return check


def _visible_post(session: Session, member: Member, post: Post) -> bool:
    return post.state == "visible" and access.can(session, member, "post.read", post)


subject_kind(
    "post",
    SubjectKind(
        load=_by_id(
            Post,
            # Titles, not bodies; the thread's group is one of the member's, in the session.
            lambda: (
                joinedload(Post.thread).lazyload(Thread.group),
                defer(Post.body_html),
                defer(Post.body_source),
            ),
        ),
        check=_visible_post,
        title=lambda post: post.thread.title,
        url=lambda post: url_for("discussions.post", post_id=post.id),
    ),
)
subject_kind(
    "file",
    SubjectKind(
        load=_by_id(File, lambda: (lazyload(File.group),)),
        check=_rule("file.read"),
        title=lambda file: file.name,
        url=lambda file: url_for("files.show", file_id=file.id),
    ),
)
subject_kind(
    "gathering",
    SubjectKind(
        load=_by_id(Gathering, lambda: (lazyload(Gathering.questions), lazyload(Gathering.group))),
        check=_rule("gathering.see"),
        title=lambda gathering: gathering.title,
        url=lambda gathering: url_for("gatherings.show", gathering_id=gathering.id),
    ),
)
subject_kind(
    "poll",
    SubjectKind(
        load=_by_id(Poll, lambda: (lazyload(Poll.options),)),
        check=_rule("poll.read"),
        title=lambda poll: poll.question,
        url=lambda poll: url_for("polls.show", poll_id=poll.id),
    ),
)
subject_kind(
    "group",
    SubjectKind(
        # The member's own groups are in the session already: no query.
        load=lambda s, ids: {i: g for i in ids if (g := s.get(Group, i)) is not None},
        check=_rule("group.list_members"),
        title=lambda group: group.name,
        url=lambda group: url_for("groups.members", group_id=group.id),
    ),
)
