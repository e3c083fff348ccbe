"""The leader's årsmøte pages: call a meeting, and the control page with the roll (audited:
membership is special-category data), complaints, freezing, corrections, the check-in code
and the votes. Each form post: parse → service → commit once → redirect."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.db import get_session, session_factory
from innsiden.desk.audited import audited_session
from innsiden.errors import Conflict, ValidationFailed
from innsiden.gatherings.timefmt import when
from innsiden.groups import service as groups
from innsiden.groups.models import Group
from innsiden.meetings import attendance, proxies, roll, service, voting
from innsiden.meetings.blueprint import bp
from innsiden.meetings.models import Meeting
from innsiden.meetings.views.pages import PREFIX
from innsiden.polls.forms import local_input, parse_time
from innsiden.web import acting_member, int_value
from membersync.models import Member


def _callable_group(session: Session, member: Member, group_id: int) -> Group:
    group = groups.visible_group(session, member, group_id)
    access.require(session, member, "meeting.call", group, visible=True)
    return group


@bp.route(f"{PREFIX}/nytt", methods=["GET", "POST"])
def create(group_id: int) -> str | Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    group = _callable_group(session, member, group_id)
    session.commit()  # end this request's snapshot: nothing of it is pending
    with session_factory()() as writer:  # the presets are made once, whoever asks first
        service.ensure_presets(writer)
        writer.commit()
    profiles = service.current_profiles(session)
    if request.method == "GET":
        values = {"profile_id": str(profiles[0].id) if profiles else ""}
        return render_template("meetings/create.html", group=group, profiles=profiles,
                               values=values, errors={})  # fmt: skip
    form = request.form
    errors: dict[str, str] = {}
    starts_at = parse_time(form.get("starts_at", ""), "starts_at", errors)
    data = service.MeetingInput(
        title=form.get("title", ""), starts_at=starts_at, place=form.get("place", ""),
        online_url=form.get("online_url", ""), profile_id=int_value(form.get("profile_id")),
        items=tuple(form.get("items", "").splitlines()),
    )  # fmt: skip
    try:
        if errors:
            raise ValidationFailed(fields=errors)
        meeting = service.call_meeting(session, member, group, data)
    except ValidationFailed as error:
        session.rollback()
        errors.update(error.fields)
        body = render_template("meetings/create.html", group=group, profiles=profiles,
                               values=form.to_dict(), errors=errors)  # fmt: skip
        return body, 400
    session.commit()
    flash(_("Årsmøtet er kalt inn."), "success")
    return redirect(url_for("meetings.manage", group_id=group.id, meeting_id=meeting.id))


def _managed(session: Session, member: Member, group_id: int, meeting_id: int) -> Meeting:
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    access.require(session, member, "meeting.manage", meeting, visible=True)
    return meeting


@bp.get(f"{PREFIX}/<int:meeting_id>/styring")
def manage(group_id: int, meeting_id: int) -> str:
    with audited_session() as (session, actor):
        meeting = _managed(session, actor, group_id, meeting_id)
        lines = roll.lines(session, actor, meeting) if meeting.roll_state != "none" else []
        session.commit()
        return render_template("meetings/manage.html", **_manage_context(session, meeting, lines))


def _manage_context(session: Session, meeting: Meeting, lines: list[Any]) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "group": session.get(Group, meeting.group_id),
        "lines": lines,
        "reason_words": roll.reason_words,
        "complaints": roll.complaints(session, meeting),
        "count": attendance.count(session, meeting),
        "proxies_accepted": len(proxies.accepted(session, meeting)),
        "votes": voting.votes_of(session, meeting),
        "result_words": voting.result_words,
        "turnout": lambda vote: voting.turnout(session, vote),
        "seed_commitment": voting.seed_commitment,
        "when": when,
        "day": roll.day_text,
        "local_input": local_input,
    }


def _back(meeting: Meeting, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("meetings.manage", group_id=meeting.group_id, meeting_id=meeting.id))


def _refused(session: Session, meeting: Meeting, error: ValidationFailed | Conflict) -> Response:
    """Nothing changed: say why on the control page."""
    session.rollback()
    message = " ".join(error.fields.values()) if isinstance(error, ValidationFailed) else ""
    flash(message or error.message, "error")
    response = redirect(
        url_for("meetings.manage", group_id=meeting.group_id, meeting_id=meeting.id)
    )
    response.status_code = 303
    return response


def _act(group_id: int, meeting_id: int, action: Any, message: str) -> Response:
    session, member = get_session(), acting_member()
    meeting = _managed(session, member, group_id, meeting_id)
    try:
        action(session, member, meeting)
    except (ValidationFailed, Conflict) as error:
        return _refused(session, meeting, error)
    session.commit()
    return _back(meeting, message)


@bp.post(f"{PREFIX}/<int:meeting_id>/manntall/beregn")
def compute_roll(group_id: int, meeting_id: int) -> Response:
    return _act(group_id, meeting_id, lambda s, m, mt: roll.compute(s, mt, m),
                _("Manntallet er beregnet fra medlemsregisteret."))  # fmt: skip


@bp.post(f"{PREFIX}/<int:meeting_id>/manntall/las")
def freeze_roll(group_id: int, meeting_id: int) -> Response:
    return _act(group_id, meeting_id, roll.freeze, _("Manntallet er låst."))


@bp.post(f"{PREFIX}/<int:meeting_id>/klager/<int:complaint_id>")
def decide_complaint(group_id: int, meeting_id: int, complaint_id: int) -> Response:
    upheld = request.form.get("beslutning") == "godkjenn"
    note = request.form.get("note", "")
    return _act(group_id, meeting_id,
                lambda s, m, mt: roll.decide(s, m, mt, complaint_id, upheld, note),
                _("Klagen er avgjort og logget."))  # fmt: skip


@bp.post(f"{PREFIX}/<int:meeting_id>/manntall/rett")
def correct_roll(group_id: int, meeting_id: int) -> Response:
    number = int_value(request.form.get("member_number"))
    eligible = request.form.get("eligible") == "ja"
    note = request.form.get("note", "")
    return _act(group_id, meeting_id,
                lambda s, m, mt: roll.correct(s, m, mt, number, eligible, note),
                _("Manntallet er rettet, og rettingen er logget."))  # fmt: skip


@bp.post(f"{PREFIX}/<int:meeting_id>/innsjekk/apne")
def open_check_in(group_id: int, meeting_id: int) -> Response:
    return _act(group_id, meeting_id, attendance.open_check_in,
                _("Innsjekkingen er åpen. Vis koden i møtelokalet."))  # fmt: skip


@bp.post(f"{PREFIX}/<int:meeting_id>/innsjekk/steng")
def close_check_in(group_id: int, meeting_id: int) -> Response:
    return _act(group_id, meeting_id, attendance.close_check_in,
                _("Innsjekkingen er stengt."))  # fmt: skip


@bp.post(f"{PREFIX}/<int:meeting_id>/voteringer")
def open_vote(group_id: int, meeting_id: int) -> Response:
    question, kind = request.form.get("question", ""), request.form.get("kind", "decision")
    written = request.form.get("written") == "ja"
    return _act(group_id, meeting_id,
                lambda s, m, mt: voting.open_vote(s, m, mt, question, kind, written=written),
                _("Avstemningen er åpnet."))  # fmt: skip


@bp.post(f"{PREFIX}/<int:meeting_id>/voteringer/<int:vote_id>/lukk")
def close_vote(group_id: int, meeting_id: int, vote_id: int) -> Response:
    chair_choice = request.form.get("chair_choice") or None

    def close(session: Session, member: Member, meeting: Meeting) -> None:
        vote = voting.vote_for(session, meeting, vote_id)
        voting.close_vote(session, member, meeting, vote, chair_choice)

    return _act(group_id, meeting_id, close, _("Avstemningen er lukket og telt."))
