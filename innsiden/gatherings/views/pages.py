"""Event pages: calendars (mine and a group's), an event with its reply form, and creating,
editing and cancelling events."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from innsiden import access
from innsiden.db import get_session
from innsiden.errors import Conflict, ValidationFailed
from innsiden.gatherings import (
    attachments,
    forms,
    listing,
    questions,
    reminders,
    service,
    signup,
    timefmt,
)
from innsiden.gatherings.blueprint import bp
from innsiden.gatherings.models import Gathering
from innsiden.groups import service as groups
from innsiden.groups.models import Group
from innsiden.web import acting_member
from membersync.db import utcnow


@bp.get("/")
def index() -> str:
    session, member = get_session(), acting_member()
    return _calendar(listing.mine(session, member), None)


@bp.get("/gruppe/<int:group_id>")
def group_calendar(group_id: int) -> str:
    session, member = get_session(), acting_member()
    group = groups.visible_group(session, member, group_id)
    return _calendar(listing.of_group(session, member, group), group)


def _calendar(query: Any, group: Group | None) -> str:
    session, member = get_session(), acting_member()
    context: dict[str, Any] = {"group": group, "view": "liste"}
    if request.args.get("visning") == "maned":
        first = listing.month_start(request.args.get("maned"))
        weeks = listing.month(session, member, query, first)
        context.update(view="maned", first=first, weeks=weeks)
        context["previous"], context["following"] = listing.neighbours(first)
    else:
        past = request.args.get("tidligere") == "1"
        context.update(past=past, entries=listing.upcoming(session, member, query, past=past))
    context["can_create"] = group is not None and access.can(
        session, member, "gathering.create", group
    )
    return render_template("gatherings/calendar.html", **context)


@bp.get("/<int:gathering_id>")
def show(gathering_id: int) -> tuple[str, int]:
    return _show(gathering_id)


def _show(
    gathering_id: int, errors: dict[str, str] | None = None, status: int = 200
) -> tuple[str, int]:
    session, member = get_session(), acting_member()
    gathering = service.visible(session, member, gathering_id)
    reply = signup.own_reply(session, gathering.id, member.number)
    context = {
        "gathering": gathering,
        "reply": reply,
        "position": signup.waiting_position(session, reply) if reply else None,
        "counts": signup.counts(session, [gathering.id])[gathering.id],
        "organisers": service.organisers(session, gathering),
        "open": utcnow() < gathering.closes_at,
        "can_read_group": access.can(session, member, "group.read", gathering.group),
        "preference": reminders.preference(session, member.number),
        "minutes": reminders.MINUTES,
        "attached": attachments.attached(session, member, gathering),
        "errors": errors or {},
        "form": request.form if errors else {},
    }
    return render_template("gatherings/show.html", **context), status


@bp.post("/<int:gathering_id>/svar")
def reply(gathering_id: int) -> Any:
    session, member = get_session(), acting_member()
    answer = forms.FORM_ANSWERS.get(request.form.get("answer", ""), "")
    answers = {k[1:]: v for k, v in request.form.items() if k.startswith("q")}
    choice = forms.reminder_choice(
        request.form.get("reminder_channel"), request.form.get("reminder_minutes")
    )
    try:
        outcome = signup.respond(session, member, gathering_id, answer, answers, choice)
    except ValidationFailed as error:
        session.rollback()
        return _show(gathering_id, error.fields or {"answer": error.message}, 400)
    except Conflict as error:
        session.rollback()
        flash(error.message, "error")
        return redirect(url_for("gatherings.show", gathering_id=gathering_id))
    session.commit()
    flash(_reply_message(outcome), "success")
    return redirect(url_for("gatherings.show", gathering_id=gathering_id))


def _reply_message(outcome: signup.Outcome) -> str:
    status = outcome.reply.status
    if status == "confirmed":
        return _("Du er påmeldt. Velkommen!")
    if status == "waiting":
        return _("Det er fullt. Du står som nummer %(n)d på ventelisten.", n=outcome.position or 0)
    if status == "maybe":
        return _("Svaret ditt er lagret: kanskje.")
    return _("Svaret ditt er lagret: du kommer ikke.")


@bp.route("/gruppe/<int:group_id>/nytt", methods=["GET", "POST"])
def create(group_id: int) -> Any:
    session, member = get_session(), acting_member()
    group = groups.visible_group(session, member, group_id)
    access.require(session, member, "gathering.create", group, visible=True)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            data = forms.gathering_from_form(request.form)
            gathering = service.create(session, member, group, data)
        except ValidationFailed as error:
            session.rollback()
            errors = error.fields or {"title": error.message}
        else:
            session.commit()
            flash(_("Arrangementet er opprettet."), "success")
            return redirect(url_for("gatherings.show", gathering_id=gathering.id))
    values = request.form if request.method == "POST" else {"audience": "group"}
    return _form_page(group, None, values, errors)


@bp.route("/<int:gathering_id>/rediger", methods=["GET", "POST"])
def edit(gathering_id: int) -> Any:
    session, member = get_session(), acting_member()
    gathering = service.visible(session, member, gathering_id)
    access.require(session, member, "gathering.organise", gathering, visible=True)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            data = forms.gathering_from_form(request.form)
            service.update(session, member, gathering_id, data)
        except ValidationFailed as error:
            session.rollback()
            errors = error.fields or {"title": error.message}
        else:
            session.commit()
            flash(_("Endringene er lagret."), "success")
            return redirect(url_for("gatherings.show", gathering_id=gathering_id))
    values = request.form if request.method == "POST" else _form_values(gathering)
    return _form_page(gathering.group, gathering, values, errors)


def _form_values(gathering: Gathering) -> dict[str, str]:
    session = get_session()
    return {
        "title": gathering.title,
        "description": gathering.description,
        "starts_at": timefmt.input_value(gathering.starts_at),
        "ends_at": timefmt.input_value(gathering.ends_at),
        "place": gathering.place,
        "online_url": gathering.online_url or "",
        "capacity": str(gathering.capacity or ""),
        "signup_deadline": timefmt.input_value(gathering.signup_deadline),
        "audience": gathering.audience,
        "questions": questions.as_lines(gathering.questions),
        "organisers": ", ".join(str(n) for n in service.organiser_numbers(session, gathering.id)),
    }


def _form_page(
    group: Group, gathering: Gathering | None, values: Any, errors: dict[str, str]
) -> tuple[str, int]:
    page = render_template(
        "gatherings/form.html",
        group=group,
        gathering=gathering,
        values=values,
        errors=errors,
        fylkeslag=service.fylkeslag_of(group),
    )
    return page, 400 if errors else 200


@bp.route("/<int:gathering_id>/avlys", methods=["GET", "POST"])
def cancel(gathering_id: int) -> Any:
    session, member = get_session(), acting_member()
    gathering = service.visible(session, member, gathering_id)
    access.require(session, member, "gathering.organise", gathering, visible=True)
    if request.method == "POST":
        try:
            service.cancel(session, member, gathering_id, request.form.get("reason", ""))
        except (ValidationFailed, Conflict) as error:
            session.rollback()
            flash(error.message, "error")
        else:
            session.commit()
            flash(_("Arrangementet er avlyst. Alle påmeldte får beskjed."), "success")
        return redirect(url_for("gatherings.show", gathering_id=gathering_id))
    return render_template("gatherings/cancel.html", gathering=gathering)
