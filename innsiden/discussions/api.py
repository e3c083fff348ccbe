"""Discussions in the JSON API under /api/v1/discussions, calling the same service as pages.

GET    /groups/<id>/threads?cursor=<next>          a group's threads (pinned first), 30 a page
POST   /groups/<id>/threads {"title", "body"}      start a thread → the thread and its post
GET    /groups/<id>/members?prefix=Ka               group members for @mention autocomplete
GET    /threads/<id>?cursor=<next>                  the thread and its posts, 50 a page
POST   /threads/<id>/posts {"body", "quote_of"}    reply
PATCH  /posts/<id> {"body"}                        edit (the old text goes to the history)
DELETE /posts/<id>                                 delete (soft: "slettet innlegg")
GET    /posts/<id>/revisions                       earlier versions
PUT    /posts/<id>/reactions/<kind>                react; DELETE takes it back
POST   /posts/<id>/reports {"reason"}              report to the group's moderators
Paged lists have the one shape of `innsiden.listing`. Post bodies are the stored, sanitised
HTML (`body_html`); `body` (Markdown) only for the author. A deleted post has neither; a
hidden post is shown to moderators only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, jsonify, request
from pydantic import BaseModel, Field
from werkzeug import Response

from innsiden import listing
from innsiden.db import get_session
from innsiden.discussions import mentions, moderation, reading, readmarks, service
from innsiden.discussions.models import Post, Thread
from innsiden.listing import cursor_arg
from innsiden.openapi import describe
from innsiden.web import acting_member, int_value, json_body

bp = Blueprint("discussions_api", __name__, url_prefix="/api/v1/discussions")


class ThreadOut(BaseModel):
    id: int
    group_id: int
    title: str
    author_number: int | None
    created_at: datetime
    last_post_id: int | None
    last_post_at: datetime
    reply_count: int
    pinned: bool
    locked: bool
    unread: bool | None = None


class ThreadPage(BaseModel):
    threads: list[ThreadOut]
    next: int | None


class Reaction(BaseModel):
    kind: str
    count: int
    mine: bool


class Image(BaseModel):
    id: int
    width: int | None
    height: int | None
    filename: str


class PostOut(BaseModel):
    """A post; a deleted one has only id, thread_id, state and created_at."""

    id: int
    thread_id: int
    state: str = Field(description="visible, hidden (moderators only) or deleted")
    created_at: datetime
    author_number: int | None = None
    author_name: str | None = None
    body_html: str | None = Field(default=None, description="Sanitised HTML")
    body: str | None = Field(default=None, description="The Markdown source, to its author")
    edited_at: datetime | None = None
    edit_count: int | None = None
    quote_of: int | None = None
    reactions: list[Reaction] | None = None
    images: list[Image] | None = None
    hidden_reason: str | None = None


class ThreadWithPosts(BaseModel):
    thread: ThreadOut
    posts: list[PostOut]
    next: int | None


class NewThread(BaseModel):
    title: str
    body: str = Field(description="Markdown")


class ThreadStarted(BaseModel):
    thread: ThreadOut
    post: PostOut


class MemberRef(BaseModel):
    number: int
    name: str


class MemberList(BaseModel):
    members: list[MemberRef]


class MentionQuery(BaseModel):
    prefix: str | None = Field(default=None, description="The start of a name")


class NewPost(BaseModel):
    body: str = Field(description="Markdown")
    quote_of: int | None = None


class EditedPost(BaseModel):
    body: str = Field(description="Markdown")


class Revision(BaseModel):
    body_html: str
    written_at: datetime
    replaced_at: datetime


class Revisions(BaseModel):
    revisions: list[Revision]


class NewReport(BaseModel):
    reason: str


class ReportOut(BaseModel):
    id: int
    status: str


def thread_json(thread: Thread, *, unread: bool | None = None) -> dict[str, Any]:
    data = {
        "id": thread.id,
        "group_id": thread.group_id,
        "title": thread.title,
        "author_number": thread.author_number,
        "created_at": thread.created_at.isoformat(),
        "last_post_id": thread.last_post_id,
        "last_post_at": thread.last_post_at.isoformat(),
        "reply_count": thread.reply_count,
        "pinned": thread.pinned,
        "locked": thread.locked,
    }
    if unread is not None:
        data["unread"] = unread
    return data


def post_json(view: reading.PostView, member_number: int) -> dict[str, Any]:
    post = view.post
    data: dict[str, Any] = {
        "id": post.id,
        "thread_id": post.thread_id,
        "state": post.state,
        "created_at": post.created_at.isoformat(),
    }
    if post.state == "deleted":
        return data
    data.update(
        author_number=post.author_number,
        author_name=view.author_name,
        body_html=post.body_html,
        edited_at=post.edited_at.isoformat() if post.edited_at else None,
        edit_count=post.edit_count,
        quote_of=post.quote_of_id,
        reactions=[{"kind": r.kind, "count": r.count, "mine": r.mine} for r in view.reactions],
        images=[
            {"id": a.id, "width": a.width, "height": a.height, "filename": a.filename}
            for a in view.attachments
        ],
    )
    if post.author_number == member_number:
        data["body"] = post.body_source
    if post.state == "hidden":
        data["hidden_reason"] = post.hidden_reason  # only moderators are shown hidden posts
    return data


def _post_answer(post: Post, status: int = 200) -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    session.commit()
    view = reading.post_view(session, member, post)
    return jsonify(post_json(view, member.number)), status


@bp.get("/groups/<int:group_id>/threads")
@describe(
    "A group's threads, pinned first, then by latest post", response=ThreadPage, paged="threads"
)
def threads(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.group_of(session, member, group_id)
    rows, cursor = reading.group_threads(session, member, group, before=cursor_arg("before"))
    return jsonify(
        listing.page("threads", [thread_json(r.thread, unread=r.unread) for r in rows], cursor)
    )


@bp.post("/groups/<int:group_id>/threads")
@describe("Start a thread", body=NewThread, response=ThreadStarted, status=201)
def create_thread(group_id: int) -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    body = json_body()
    thread, post = service.create_thread(
        session, member, group_id, title=str(body.get("title", "")), body=str(body.get("body", ""))
    )
    session.commit()
    view = reading.post_view(session, member, post)
    return jsonify({"thread": thread_json(thread), "post": post_json(view, member.number)}), 201


@bp.get("/groups/<int:group_id>/members")
@describe(
    "Group members whose names start with `prefix`, for @mentions",
    query=MentionQuery,
    response=MemberList,
)
def members(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.group_of(session, member, group_id)
    found = mentions.complete(session, member, group, request.args.get("prefix", ""))
    return jsonify({"members": [{"number": n, "name": name} for n, name in found]})


@bp.get("/threads/<int:thread_id>")
@describe("A thread and a page of its posts, oldest first", response=ThreadWithPosts, paged="posts")
def thread(thread_id: int) -> Response:
    session, member = get_session(), acting_member()
    thread = service.get_thread(session, member, thread_id)
    after = cursor_arg("after")
    page = reading.thread_page(session, member, thread, start=(after or 0) + 1)
    if page.last_id and page.last_id > (page.last_read_post_id or 0):
        readmarks.mark_read(session, member.number, thread.id, page.last_id)
    posts = [post_json(v, member.number) for v in page.posts]
    next_cursor = page.last_id if page.has_newer else None
    return jsonify(listing.page("posts", posts, next_cursor, thread=thread_json(thread)))


@bp.post("/threads/<int:thread_id>/posts")
@describe("Reply in a thread", body=NewPost, response=PostOut, status=201)
def reply(thread_id: int) -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    thread = service.get_thread(session, member, thread_id)
    body = json_body()
    post = service.reply(
        session,
        member,
        thread,
        body=str(body.get("body", "")),
        quote_of=int_value(body.get("quote_of")),
    )
    return _post_answer(post, 201)


@bp.patch("/posts/<int:post_id>")
@describe("Edit one's post (the old text goes to its history)", body=EditedPost, response=PostOut)
def edit(post_id: int) -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    post = service.get_post(session, member, post_id)
    service.edit_post(session, member, post, body=str(json_body().get("body", "")))
    return _post_answer(post)


@bp.delete("/posts/<int:post_id>")
@describe("Delete a post (it shows as deleted)", response=PostOut)
def delete(post_id: int) -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    post = service.get_post(session, member, post_id)
    service.delete_post(session, member, post)
    return _post_answer(post)


@bp.get("/posts/<int:post_id>/revisions")
@describe("Earlier versions of a post", response=Revisions)
def revisions(post_id: int) -> Response:
    session, member = get_session(), acting_member()
    post = service.get_post(session, member, post_id)
    rows = service.revisions(session, member, post)
    return jsonify(
        {
            "revisions": [
                {
                    "body_html": r.body_html,
                    "written_at": r.written_at.isoformat(),
                    "replaced_at": r.replaced_at.isoformat(),
                }
                for r in rows
            ]
        }
    )


@bp.put("/posts/<int:post_id>/reactions/<kind>")
@bp.delete("/posts/<int:post_id>/reactions/<kind>")
@describe("React to a post (PUT) or take the reaction back (DELETE)", response=PostOut)
def reaction(post_id: int, kind: str) -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    post = service.get_post(session, member, post_id)
    service.set_reaction(session, member, post, kind, on=request.method == "PUT")
    return _post_answer(post)


@bp.post("/posts/<int:post_id>/reports")
@describe("Report a post to the group's moderators", body=NewReport, response=ReportOut, status=201)
def report(post_id: int) -> tuple[Response, int]:
    session, member = get_session(), acting_member()
    post = service.get_post(session, member, post_id)
    row = moderation.report(session, member, post, str(json_body().get("reason", "")))
    session.commit()
    return jsonify({"id": row.id, "status": row.status}), 201
