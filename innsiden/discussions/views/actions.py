"""Discussion forms: start a thread, reply, edit, delete, react, report, and the moderators'
pin, lock, hide and dismiss. Each parses the form, calls the service, commits once and
redirects (or shows the form again with what needs fixing)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug import Response
from werkzeug.datastructures import FileStorage

from innsiden.db import get_session
from innsiden.discussions import attachments, documents, moderation, reading, readmarks, service
from innsiden.discussions.attachments import Upload
from innsiden.discussions.blueprint import bp
from innsiden.discussions.models import Post
from innsiden.discussions.views.pages import post_location
from innsiden.errors import ValidationFailed
from innsiden.web import acting_member, int_value
from membersync.models import Member


def _uploads() -> list[Upload]:
    return [Upload(f.filename or "", f.stream) for f in request.files.getlist("bilder")]


def _documents() -> list[FileStorage]:
    return request.files.getlist(documents.FIELD)


def _done(message: str, location: str) -> Response:
    get_session().commit()
    flash(message, "success")
    return redirect(location)


def _context() -> tuple[Session, Member]:
    return get_session(), acting_member()


@bp.route("/gruppe/<int:group_id>/ny", methods=["GET", "POST"])
def new_thread(group_id: int) -> str | Response | tuple[str, int]:
    session, member = _context()
    group = service.group_of(session, member, group_id)
    form = {"title": request.form.get("title", ""), "body": request.form.get("body", "")}
    if request.method == "POST":
        try:
            images = attachments.prepare(_uploads())
            staged = documents.stage(session, member, group, _documents())
            thread, post = service.create_thread(
                session, member, group.id, title=form["title"], body=form["body"], images=images
            )
            documents.add(session, member, group, post.id, staged)
        except ValidationFailed as error:
            session.rollback()  # nothing of the thread is kept; staged documents are deleted
            page = render_template(
                "discussions/new_thread.html",
                group=group,
                form=form,
                errors=error.fields,
                message=error.message if not error.fields else None,
            )
            return page, 400
        return _done(_("Tråden er opprettet."), url_for("discussions.thread", thread_id=thread.id))
    service.require_create(session, member, group)
    return render_template("discussions/new_thread.html", group=group, form=form, errors={})


@bp.post("/traad/<int:thread_id>/svar")
def reply(thread_id: int) -> Response | tuple[str, int]:
    session, member = _context()
    thread = service.get_thread(session, member, thread_id)
    body = request.form.get("body", "")
    try:
        images = attachments.prepare(_uploads())
        staged = documents.stage(session, member, thread.group, _documents())
        post = service.reply(
            session,
            member,
            thread,
            body=body,
            quote_of=int_value(request.form.get("sitat")),
            images=images,
        )
        documents.add(session, member, thread.group, post.id, staged)
    except ValidationFailed as error:
        session.rollback()  # the whole reply is refused; staged documents are deleted
        page = reading.thread_page(session, member, thread, newest=True)
        errors = error.fields or {"body": error.message}
        html = render_template(
            "discussions/thread.html",
            page=page,
            thread=thread,
            group=thread.group,
            quoting=None,
            errors=errors,
            body=body,
        )
        return html, 400
    return _done(_("Svaret er publisert."), post_location(session, post))


@bp.route("/innlegg/<int:post_id>/rediger", methods=["GET", "POST"])
def edit(post_id: int) -> str | Response | tuple[str, int]:
    session, member = _context()
    post = service.get_post(session, member, post_id)
    service.require_edit(session, member, post)
    opening = service.opening_post_id(session, post.thread_id) == post.id
    body = request.form.get("body", post.body_source)
    title = request.form.get("title", post.thread.title)
    if request.method == "POST":
        try:
            if opening and title != post.thread.title:
                service.edit_title(session, member, post.thread, title)
            service.edit_post(session, member, post, body=body)
        except ValidationFailed as error:
            page = render_template(
                "discussions/edit.html",
                post=post,
                thread=post.thread,
                body=body,
                title=title,
                opening=opening,
                errors=error.fields or {"body": error.message},
            )
            return page, 400
        return _done(_("Endringen er lagret."), post_location(session, post))
    return render_template(
        "discussions/edit.html",
        post=post,
        thread=post.thread,
        body=body,
        title=title,
        opening=opening,
        errors={},
    )


@bp.post("/innlegg/<int:post_id>/slett")
def delete(post_id: int) -> Response:
    session, member = _context()
    post = service.get_post(session, member, post_id)
    service.delete_post(session, member, post)
    return _done(_("Innlegget er slettet."), post_location(session, post))


@bp.post("/innlegg/<int:post_id>/reaksjon")
def react(post_id: int) -> Response:
    session, member = _context()
    post = service.get_post(session, member, post_id)
    service.toggle_reaction(session, member, post, request.form.get("kind", ""))
    get_session().commit()
    return redirect(post_location(session, post))


@bp.post("/innlegg/<int:post_id>/rapporter")
def report(post_id: int) -> Response:
    return _act_with_reason(
        post_id, moderation.report, _("Takk. Moderatorene i gruppen ser på det.")
    )


@bp.post("/innlegg/<int:post_id>/skjul")
def hide(post_id: int) -> Response:
    return _act_with_reason(post_id, moderation.hide_post, _("Innlegget er skjult for medlemmene."))


def _act_with_reason(
    post_id: int, act: Callable[[Session, Member, Post, str], object], done: str
) -> Response:
    """Report or hide a post with the reason from the form; a missing reason is flashed."""
    session, member = _context()
    post = service.get_post(session, member, post_id)
    try:
        act(session, member, post, request.form.get("reason", ""))
    except ValidationFailed as error:
        flash(error.fields.get("reason", error.message), "error")
        return redirect(post_location(session, post))
    return _done(done, post_location(session, post))


@bp.post("/rapport/<int:report_id>")
def decide(report_id: int) -> Response:
    session, member = _context()
    row = moderation.decide_report(
        session, member, report_id, request.form.get("action", ""), request.form.get("reason", "")
    )
    message = _("Innlegget er skjult.") if row.status == "hidden" else _("Rapporten er avvist.")
    return _done(message, url_for("discussions.reports", group_id=row.group_id))


@bp.post("/traad/<int:thread_id>/fest")
def pin(thread_id: int) -> Response:
    session, member = _context()
    thread = service.get_thread(session, member, thread_id)
    moderation.set_pinned(session, member, thread, request.form.get("pinned") == "ja")
    message = _("Tråden er festet øverst.") if thread.pinned else _("Tråden er ikke lenger festet.")
    return _done(message, url_for("discussions.thread", thread_id=thread.id, siste=1))


@bp.post("/traad/<int:thread_id>/laas")
def lock(thread_id: int) -> Response:
    session, member = _context()
    thread = service.get_thread(session, member, thread_id)
    moderation.set_locked(session, member, thread, request.form.get("locked") == "ja")
    message = _("Tråden er låst.") if thread.locked else _("Tråden er åpnet igjen.")
    return _done(message, url_for("discussions.thread", thread_id=thread.id, siste=1))


@bp.post("/gruppe/<int:group_id>/merk-lest")
def mark_group_read(group_id: int) -> Response:
    session, member = _context()
    group = service.group_of(session, member, group_id)
    readmarks.mark_group_read(session, member.number, group.id)
    return _done(_("Alle trådene er merket som lest."), url_for("groups.show", group_id=group.id))
