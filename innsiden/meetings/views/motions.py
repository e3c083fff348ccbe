"""Motion pages: the list with the submit form, one motion with its numbered lines, supporters,
amendments and the drafting committee's recommendations, the voting order with the votes held,
and the adopted text as a diff. Each form post: parse → service → commit once → redirect; a
refusal shows the page again with the reason and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from innsiden.db import get_session
from innsiden.errors import Conflict, ValidationFailed
from innsiden.gatherings.timefmt import when
from innsiden.groups.models import Group
from innsiden.meetings import motions, service
from innsiden.meetings.blueprint import bp
from innsiden.meetings.models import Meeting, MeetingMotion
from innsiden.meetings.views.pages import PREFIX
from innsiden.web import acting_member, int_value
from membersync.models import Member

MOTIONS = f"{PREFIX}/<int:meeting_id>/forslag"


def _name(session: Session, number: int) -> str:
    member = session.get(Member, number)
    return f"{member.first_name} {member.last_name}" if member else _("tidligere medlem")


def _list_body(
    session: Session, member: Member, meeting: Meeting, error: str | None, values: dict[str, str]
) -> str:
    return render_template(
        "meetings/motions.html",
        meeting=meeting,
        group=session.get(Group, meeting.group_id),
        motions=motions.motions_of(session, meeting),
        deadline=motions.motion_deadline(session, meeting),
        supported=lambda m: motions.supported(session, meeting, m),
        name=lambda n: _name(session, n),
        when=when,
        error=error,
        values=values,
    )


def _motion_body(
    session: Session,
    member: Member,
    meeting: Meeting,
    motion: MeetingMotion,
    error: str | None = None,
) -> str:
    return render_template(
        "meetings/motion.html",
        meeting=meeting,
        group=session.get(Group, meeting.group_id),
        motion=motion,
        lines=motions.lines(motion),
        amendments=motions.amendments_of(session, motion),
        supporters=[_name(session, n) for n in motions.supporters(session, motion)],
        supported=motions.supported(session, meeting, motion),
        order=motions.order(session, motion),
        held=motions.held_votes(session, motion),
        block=motions.block_members(session, motion),
        pull_outs=motions.pull_outs(session, motion),
        names_of=lambda numbers: ", ".join(_name(session, n) for n in numbers),
        labels_of=lambda rows: ", ".join(motions.label(a) for a in rows),
        diff=motions.adopted_diff(motion),
        label=motions.label,
        name=lambda n: _name(session, n),
        amendment_deadline=motions.amendment_deadline(session, meeting),
        when=when,
        error=error,
        split=motions.motion_text.split_lines,
    )


def _message(error: ValidationFailed | Conflict) -> str:
    if isinstance(error, ValidationFailed) and error.fields:
        return " ".join(error.fields.values())
    return error.message


@bp.route(MOTIONS, methods=["GET", "POST"])
def motion_list(group_id: int, meeting_id: int) -> str | Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    if request.method == "GET":
        return _list_body(session, member, meeting, None, {})
    try:
        motion = motions.submit(
            session, member, meeting, request.form.get("title", ""), request.form.get("text", "")
        )
    except (ValidationFailed, Conflict) as error:
        session.rollback()
        return _list_body(
            session, member, meeting, _message(error), request.form.to_dict()
        ), error.status
    session.commit()
    flash(_("Forslaget er sendt inn."), "success")
    return redirect(
        url_for("meetings.motion", group_id=group_id, meeting_id=meeting_id, motion_id=motion.id)
    )


@bp.get(f"{MOTIONS}/<int:motion_id>")
def motion(group_id: int, meeting_id: int, motion_id: int) -> str:
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    return _motion_body(session, member, meeting, motions.motion_for(session, meeting, motion_id))


def _act(
    group_id: int,
    meeting_id: int,
    motion_id: int,
    action: Callable[[Session, Member, Meeting, MeetingMotion], Any],
    message: str,
) -> Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    motion = motions.motion_for(session, meeting, motion_id)
    try:
        action(session, member, meeting, motion)
    except (ValidationFailed, Conflict) as error:
        session.rollback()
        return _motion_body(session, member, meeting, motion, _message(error)), error.status
    session.commit()
    flash(message, "success")
    return redirect(
        url_for("meetings.motion", group_id=group_id, meeting_id=meeting_id, motion_id=motion_id)
    )


@bp.post(f"{MOTIONS}/<int:motion_id>/stott")
def support_motion(group_id: int, meeting_id: int, motion_id: int) -> Response | tuple[str, int]:
    return _act(group_id, meeting_id, motion_id, motions.support, _("Du støtter forslaget."))


@bp.post(f"{MOTIONS}/<int:motion_id>/endringer")
def amend_motion(group_id: int, meeting_id: int, motion_id: int) -> Response | tuple[str, int]:
    form = request.form

    def amend(session: Session, member: Member, meeting: Meeting, motion: MeetingMotion) -> None:
        motions.amend(
            session,
            member,
            meeting,
            motion,
            form.get("operation", ""),
            int_value(form.get("start")),
            int_value(form.get("end")),
            form.get("text", ""),
            int_value(form.get("target_id")),
        )

    return _act(group_id, meeting_id, motion_id, amend, _("Endringsforslaget er sendt inn."))


@bp.post(f"{MOTIONS}/<int:motion_id>/innstilling")
def recommend_motion(group_id: int, meeting_id: int, motion_id: int) -> Response | tuple[str, int]:
    form = request.form

    def recommend(
        session: Session, member: Member, meeting: Meeting, motion: MeetingMotion
    ) -> None:
        motions.recommend(
            session,
            member,
            meeting,
            motion,
            int_value(form.get("amendment_id")),
            form.get("recommendation", ""),
            form.get("note", ""),
        )

    return _act(group_id, meeting_id, motion_id, recommend, _("Innstillingen er lagret."))


@bp.post(f"{MOTIONS}/<int:motion_id>/neste")
def next_motion_vote(group_id: int, meeting_id: int, motion_id: int) -> Response | tuple[str, int]:
    return _act(
        group_id,
        meeting_id,
        motion_id,
        motions.advance,
        _("Neste votering er åpnet, eller forslaget er avgjort."),
    )


@bp.post(f"{MOTIONS}/<int:motion_id>/ta-ut")
def pull_out_amendment(
    group_id: int, meeting_id: int, motion_id: int
) -> Response | tuple[str, int]:
    amendment_id = int_value(request.form.get("amendment_id"))

    def pull(session: Session, member: Member, meeting: Meeting, motion: MeetingMotion) -> None:
        motions.pull_out(session, member, meeting, motion, amendment_id)

    return _act(
        group_id, meeting_id, motion_id, pull, _("Forslaget er tatt ut til separat votering.")
    )


@bp.post(f"{MOTIONS}/<int:motion_id>/blokk")
def open_block_vote(group_id: int, meeting_id: int, motion_id: int) -> Response | tuple[str, int]:
    return _act(group_id, meeting_id, motion_id, motions.open_block, _("Blokkvoteringen er åpnet."))
