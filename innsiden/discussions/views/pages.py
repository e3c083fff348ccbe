"""Discussion pages: a group's threads, a thread (keyset pages of 50), a post's history,
moderators' reports, pictures, and the fragments live updates fetch. Form actions that
change things are in `views/actions.py`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from flask import Response, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.db import get_session
from innsiden.discussions import (
    activity,
    attachments,
    moderation,
    reading,
    readmarks,
    service,
)
from innsiden.discussions.blueprint import bp
from innsiden.discussions.models import Post
from innsiden.filetypes import download_headers
from innsiden.groups import reshape
from innsiden.storage import get_storage
from innsiden.web import acting_member, int_arg


@bp.get("/gruppe/<int:group_id>")
def group(group_id: int) -> str:
    session, member = get_session(), acting_member()
    group = service.group_of(session, member, group_id)
    before = int_arg("foer")
    if before is None:
        # The first page is the group page's section: its threads and report count at once.
        context = activity.section_context(session, member, group)
    else:
        rows, cursor = reading.group_threads(session, member, group, before=before)
        context = {
            "threads": rows,
            "cursor": cursor,
            "can_create": access.can(session, member, "thread.create", group),
            "moderate": access.can(session, member, "group.moderate", group),
        }
    return render_template(
        "discussions/group.html",
        group=group,
        threads=context["threads"],
        cursor=context["cursor"],
        before=before,
        can_create=context["can_create"],
        moderate=context["moderate"],
        open_reports=context.get("open_reports", 0),
    )


@bp.get("/gruppe/<int:group_id>/traader")
def thread_list(group_id: int) -> str:
    """The first page of a group's threads as a fragment (live updates of group pages)."""
    session, member = get_session(), acting_member()
    group = service.group_of(session, member, group_id)
    rows, cursor = reading.group_threads(session, member, group)
    return render_template(
        "discussions/_thread_list.html", group=group, threads=rows, cursor=cursor
    )


@bp.get("/traad/<int:thread_id>")
def thread(thread_id: int) -> str | Response:
    session, member = get_session(), acting_member()
    thread = service.get_thread(session, member, thread_id)
    start, before = int_arg("fra"), int_arg("foer")
    newest = request.args.get("siste") == "1"
    mark = readmarks.last_read(session, member.number, thread.id)
    if start is None and before is None and not newest:
        if mark is not None and mark >= thread.last_post_id:
            newest = True  # nothing newer than the mark: no need to look for it
        elif mark is not None:
            moderate = access.can(session, member, "thread.moderate", thread)
            first = reading.first_unread_id(session, thread, mark, moderate)
            if first is None:
                newest = True  # all read: open at the newest posts
            else:
                return redirect(_at(thread.id, first))
    page = reading.thread_page(
        session, member, thread, start=start, before=before, newest=newest, mark=mark
    )
    if page.last_id and page.last_id > (page.last_read_post_id or 0):
        readmarks.mark_read(session, member.number, thread.id, page.last_id)
    return render_template(
        "discussions/thread.html",
        page=page,
        thread=thread,
        group=thread.group,
        origin=reshape.origins(session, "thread", [thread.id]).get(thread.id),
        quoting=_quoting(page, int_arg("sitat")),
        errors={},
        body="",
    )


def _at(thread_id: int, post_id: int) -> str:
    return url_for(
        "discussions.thread", thread_id=thread_id, fra=post_id, _anchor=f"innlegg-{post_id}"
    )


def _quoting(page: reading.ThreadPage, post_id: int | None) -> reading.PostView | None:
    if post_id is None:
        return None
    return next((v for v in page.posts if v.id == post_id and v.can_react), None)


@bp.get("/innlegg/<int:post_id>")
def post(post_id: int) -> Response:
    """A post's permanent address: its thread at the page that shows it."""
    session, member = get_session(), acting_member()
    post = service.get_post(session, member, post_id)
    return redirect(post_location(session, post))


def post_location(session: Session, post: Post) -> str:
    """The newest page if the post is on it (replies land there), else the page from it."""
    later = session.scalar(
        select(func.count()).where(
            Post.thread_id == post.thread_id, Post.id > post.id, Post.state != "hidden"
        )
    )
    anchor = f"innlegg-{post.id}"
    if (later or 0) < reading.PAGE_SIZE:
        return url_for("discussions.thread", thread_id=post.thread_id, siste=1, _anchor=anchor)
    return url_for("discussions.thread", thread_id=post.thread_id, fra=post.id, _anchor=anchor)


@bp.get("/innlegg/<int:post_id>/fragment")
def post_fragment(post_id: int) -> str:
    """One post as the thread page shows it, for the viewer (live updates fetch this)."""
    session, member = get_session(), acting_member()
    post = service.get_post(session, member, post_id)
    view = reading.post_view(session, member, post)
    return render_template("discussions/_post.html", view=view, thread=post.thread)


@bp.get("/innlegg/<int:post_id>/historikk")
def history(post_id: int) -> str:
    session, member = get_session(), acting_member()
    post = service.get_post(session, member, post_id)
    return render_template(
        "discussions/history.html",
        post=post,
        thread=post.thread,
        revisions=service.revisions(session, member, post),
    )


@bp.get("/gruppe/<int:group_id>/rapporter")
def reports(group_id: int) -> str:
    session, member = get_session(), acting_member()
    group = service.group_of(session, member, group_id)
    return render_template(
        "discussions/reports.html",
        group=group,
        reports=moderation.open_reports(session, member, group),
    )


@bp.get("/bilde/<int:attachment_id>")
@bp.get("/bilde/<int:attachment_id>/mini", endpoint="thumbnail", defaults={"thumb": True})
def image(attachment_id: int, thumb: bool = False) -> Response:
    """A picture, after the same check as its post (never a public URL)."""
    session, member = get_session(), acting_member()
    attachment = attachments.viewable(session, member, attachment_id)
    key = attachment.thumb_key if thumb else attachment.storage_key
    storage = get_storage()
    url = storage.url_for_download(
        key, filename=attachment.filename, content_type=attachment.mime_type, inline=True
    )
    if url is not None:
        return redirect(url)
    stream = storage.open(key)
    response = Response(
        _chunks(stream),
        headers=download_headers(attachment.filename, attachment.mime_type, inline=True),
    )
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    with stream:
        while chunk := stream.read(64 * 1024):
            yield chunk
