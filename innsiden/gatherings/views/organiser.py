"""Organisers' pages: the attendee list and its CSV file, check-in at the door, a message to
everyone signed up, and attaching papers.

The attendee list and check-in pages write an audit entry, so they read through a writing
session of their own (the GET request's session never commits), as the leaders' member
lists do; nothing is shown unless the entry is committed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.db import get_session, session_factory
from innsiden.errors import ValidationFailed
from innsiden.gatherings import attachments, messages, organise, service
from innsiden.gatherings.blueprint import bp
from innsiden.gatherings.models import Gathering
from innsiden.groups import export
from innsiden.web import acting_member
from membersync.models import Member


@contextmanager
def audited(gathering_id: int) -> Iterator[tuple[Session, Member, Gathering]]:
    with session_factory()() as session:
        actor = session.get(Member, acting_member().number)
        assert actor is not None  # the logged-in member was loaded from the same table
        yield session, actor, service.visible(session, actor, gathering_id)


@bp.get("/<int:gathering_id>/deltakere")
def attendees(gathering_id: int) -> str:
    with audited(gathering_id) as (session, actor, gathering):
        people = organise.attendee_list(session, actor, gathering)
        page = render_template(
            "gatherings/attendees.html",
            gathering=gathering,
            people=people,
            label=organise.status_label,
        )
        session.commit()
        return page


@bp.get("/<int:gathering_id>/deltakere.csv")
def attendees_csv(gathering_id: int) -> Response:
    with audited(gathering_id) as (session, actor, gathering):
        people = organise.attendee_list(session, actor, gathering, purpose="export")
        header, rows = organise.export_table(people)
        session.commit()
    response = Response(export.to_csv(header, rows), mimetype=export.CSV_MIMETYPE)
    name = f"deltakere-arrangement-{gathering_id}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:gathering_id>/innsjekk")
def check_in_page(gathering_id: int) -> str:
    query = request.args.get("q", "").strip().casefold()
    with audited(gathering_id) as (session, actor, gathering):
        people = organise.attendee_list(session, actor, gathering, purpose="checkin")
        shown = [
            a for a in people.at_the_door if not query or query in a.member.full_name.casefold()
        ]
        page = render_template(
            "gatherings/checkin.html",
            gathering=gathering,
            people=people,
            shown=shown,
            query=request.args.get("q", ""),
            label=organise.status_label,
        )
        session.commit()
        return page


@bp.post("/<int:gathering_id>/innsjekk/<int:reply_id>")
def check_in(gathering_id: int, reply_id: int) -> Response:
    session, member = get_session(), acting_member()
    gathering = service.visible(session, member, gathering_id)
    present = request.form.get("present") != "nei"
    organise.check_in(session, member, gathering, reply_id, present)
    session.commit()
    target = url_for("gatherings.check_in_page", gathering_id=gathering_id, q=request.form.get("q"))
    return redirect(f"{target}#r{reply_id}")


@bp.route("/<int:gathering_id>/melding", methods=["GET", "POST"])
def message(gathering_id: int) -> Any:
    session, member = get_session(), acting_member()
    gathering = service.visible(session, member, gathering_id)
    access.require(session, member, "gathering.organise", gathering, visible=True)
    errors: dict[str, str] = {}
    if request.method == "POST":
        subject, body = request.form.get("subject", ""), request.form.get("body", "")
        try:
            messages.write(session, member, gathering, subject, body)
        except ValidationFailed as error:
            session.rollback()
            errors = error.fields
        else:
            session.commit()
            flash(_("Meldingen sendes til alle påmeldte i løpet av et par minutter."), "success")
            return redirect(url_for("gatherings.show", gathering_id=gathering_id))
    page = render_template(
        "gatherings/message.html", gathering=gathering, errors=errors, values=request.form
    )
    return page, 400 if errors else 200


@bp.post("/<int:gathering_id>/vedlegg")
def attach(gathering_id: int) -> Response:
    session, member = get_session(), acting_member()
    gathering = service.visible(session, member, gathering_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Velg en fil å legge ved."), "error")
        return redirect(url_for("gatherings.show", gathering_id=gathering_id))
    try:
        attachments.attach(session, member, gathering, upload)
    except ValidationFailed as error:
        session.rollback()
        flash(error.message, "error")
    else:
        session.commit()
        flash(_("Filen er lagt ved."), "success")
    return redirect(url_for("gatherings.show", gathering_id=gathering_id))
