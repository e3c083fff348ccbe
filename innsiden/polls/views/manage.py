"""Poll pages for those who run polls: create, edit (until the first vote), delete, and a
group's setting that lets ordinary members create polls."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from innsiden import access
from innsiden.db import get_session
from innsiden.errors import ValidationFailed
from innsiden.polls import drafting, forms, service
from innsiden.polls.blueprint import bp
from innsiden.polls.views.pages import poll_for_page, readable_group
from innsiden.web import acting_member


@bp.route("/gruppe/<int:group_id>/ny", methods=["GET", "POST"])
def create(group_id: int) -> str | Response:
    session, member = get_session(), acting_member()
    group = readable_group(session, member, group_id)
    access.require(session, member, "poll.create", group, visible=True)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            poll = drafting.create_poll(session, member, group, forms.poll_from_form(request.form))
        except ValidationFailed as error:
            session.rollback()
            errors = error.fields or {"form": error.message}
        else:
            session.commit()
            flash(_("Avstemningen er opprettet."), "success")
            return redirect(url_for("polls.show", poll_id=poll.id))
    values = forms.form_values(None, request.form if request.method == "POST" else None)
    return render_template("polls/edit.html", group=group, poll=None, values=values, errors=errors)


@bp.route("/<int:poll_id>/rediger", methods=["GET", "POST"])
def edit(poll_id: int) -> str | Response:
    session, member = get_session(), acting_member()
    poll = poll_for_page(session, member, poll_id)
    drafting.check_editable(session, member, poll)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            drafting.update_poll(session, member, poll, forms.poll_from_form(request.form))
        except ValidationFailed as error:
            session.rollback()
            errors = error.fields or {"form": error.message}
        else:
            session.commit()
            flash(_("Avstemningen er endret."), "success")
            return redirect(url_for("polls.show", poll_id=poll.id))
    values = forms.form_values(poll, request.form if request.method == "POST" else None)
    group = service.group_of(session, poll)
    return render_template("polls/edit.html", group=group, poll=poll, values=values, errors=errors)


@bp.post("/<int:poll_id>/slett")
def delete(poll_id: int) -> Response:
    session, member = get_session(), acting_member()
    poll = poll_for_page(session, member, poll_id)
    group_id = poll.group_id
    drafting.delete_poll(session, member, poll)
    session.commit()
    flash(_("Avstemningen er slettet."), "success")
    return redirect(url_for("polls.group_polls", group_id=group_id))


@bp.post("/gruppe/<int:group_id>/innstillinger")
def settings(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = readable_group(session, member, group_id)
    allowed = request.form.get("members_may_create") == "ja"
    drafting.set_members_may_create(session, member, group, allowed)
    session.commit()
    flash(_("Innstillingene er lagret."), "success")
    return redirect(url_for("polls.group_polls", group_id=group.id))
