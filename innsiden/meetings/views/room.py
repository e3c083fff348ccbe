"""The meeting room's pages: the projector (skjerm) and the QR code for the chair, check-in by
the QR code's link and from afar with a one-time code, the agenda item on the projector, and
votes on paper with their two counters. Each form post: parse → service → commit once →
redirect."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from innsiden import access
from innsiden.db import get_session
from innsiden.errors import Conflict, ValidationFailed
from innsiden.meetings import attendance, live, paper_votes, room, service, voting
from innsiden.meetings.blueprint import bp
from innsiden.meetings.models import AgendaItem, Attendance, Meeting
from innsiden.meetings.room_models import PaperVote
from innsiden.meetings.views.leader import _act, _managed
from innsiden.meetings.views.pages import PREFIX, done, failed
from innsiden.web import acting_member, int_value
from membersync.models import Member


@bp.context_processor
def _room_helpers() -> dict[str, Any]:
    """What the meeting pages' room parts ask for (the templates under meetings/)."""
    return {
        "room_split": lambda meeting: room.split_count(get_session(), meeting),
        "my_paper_counts": lambda meeting, number: paper_votes.counting_for(
            get_session(), meeting, number
        ),
        "may_check_in_remotely": lambda meeting, number: room.may_check_in_remotely(
            get_session(), meeting, number
        ),
        "check_in_qr": _check_in_qr,
        "room_agenda": _agenda,
        "room_paper_votes": _paper_votes,
        "room_present_members": _present_members,
    }


def _agenda(meeting: Meeting) -> list[tuple[AgendaItem, str, bool]]:
    session = get_session()
    profile = service.profile_of(session, meeting)
    current = room.current_item(session, meeting)
    return [(item, service.item_title(item, profile), current is not None and item.id == current.id)
            for item in service.agenda(session, meeting)]  # fmt: skip


def _paper_votes(meeting: Meeting) -> list[tuple[PaperVote, str, str]]:
    session = get_session()

    def name(number: int) -> str:
        member = session.get(Member, number)
        return member.full_name if member is not None else str(number)

    return [(p, name(p.first_counter), name(p.second_counter))
            for p in paper_votes.counting(session, meeting)]  # fmt: skip


def _present_members(meeting: Meeting) -> list[Member]:
    """Those present now, to name counters among (the chair sees the roll already)."""
    session = get_session()
    query = (
        select(Member)
        .join(Attendance, Attendance.member_number == Member.number)
        .where(Attendance.meeting_id == meeting.id, Attendance.present.is_(True))
        .order_by(Member.first_name, Member.last_name, Member.number)
    )
    return list(session.scalars(query))


def _check_in_qr(meeting: Meeting) -> Any:
    link = room.check_in_url(meeting)
    if link is None:
        return None
    return room.qr_svg(link, _("QR-kode for innsjekking med koden %(code)s",
                               code=meeting.room_code))  # fmt: skip


# --- For the chair ------------------------------------------------------------------------


@bp.get(f"{PREFIX}/<int:meeting_id>/skjerm")
def projector(group_id: int, meeting_id: int) -> str:
    session, member = get_session(), acting_member()
    meeting = _managed(session, member, group_id, meeting_id)
    shown = room.screen(session, member, meeting)
    return render_template("meetings/projector.html", screen=shown, meeting=meeting,
                           result_words=voting.result_words)  # fmt: skip


@bp.get(f"{PREFIX}/<int:meeting_id>/innsjekk/qr")
def check_in_qr(group_id: int, meeting_id: int) -> str:
    session, member = get_session(), acting_member()
    meeting = _managed(session, member, group_id, meeting_id)
    return render_template("meetings/check_in_qr.html", meeting=meeting,
                           link=room.check_in_url(meeting))  # fmt: skip


@bp.post(f"{PREFIX}/<int:meeting_id>/skjerm/sak")
def show_item(group_id: int, meeting_id: int) -> Response:
    item_id = int_value(request.form.get("item"))
    return _act(group_id, meeting_id, lambda s, m, mt: room.show_item(s, m, mt, item_id),
                _("Saken vises på skjermen."))  # fmt: skip


@bp.post(f"{PREFIX}/<int:meeting_id>/papirvoteringer")
def open_paper_vote(group_id: int, meeting_id: int) -> Response:
    form = request.form
    counters = (int_value(form.get("first_counter")), int_value(form.get("second_counter")))
    question, kind = form.get("paper_question", ""), form.get("paper_kind", "decision")
    return _act(group_id, meeting_id,
                lambda s, m, mt: paper_votes.open_paper_vote(s, m, mt, question, kind, counters),
                _("Den skriftlige avstemningen er åpnet. Tellerne skriver inn tallene hver for "
                  "seg."))  # fmt: skip


# --- For members: check-in by the QR code and from afar -----------------------------------


@bp.route(f"{PREFIX}/<int:meeting_id>/innsjekk/kode/<code>", methods=["GET", "POST"])
def qr_check_in(group_id: int, meeting_id: int, code: str) -> str | Response | tuple[str, int]:
    """The QR code's link: a GET asks to confirm, the POST checks in with the code in it."""
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    access.require(session, member, "meeting.take_part", meeting)
    if request.method == "GET":
        return render_template(
            "meetings/qr_check_in.html",
            meeting=meeting,
            code=code,
            present=attendance.is_present(session, meeting, member.number),
        )
    try:
        attendance.check_in(session, member, meeting, code)
    except (ValidationFailed, Conflict) as error:
        return failed(session, member, meeting, error)
    session.commit()
    live.push_present(session, meeting)
    return done(meeting, _("Du er sjekket inn."))


@bp.post(f"{PREFIX}/<int:meeting_id>/innsjekk/digitalt/kode")
def remote_code(group_id: int, meeting_id: int) -> Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    try:
        message = room.request_remote_code(session, member, meeting)
    except Conflict as error:
        return failed(session, member, meeting, error)
    session.commit()
    if message is None:
        flash(_("Vi har ingen e-postadresse eller mobilnummer til deg i medlemsregisteret."),
              "error")  # fmt: skip
    else:
        room.deliver_remote_code(meeting, message)
        flash(_("Koden er sendt. Skriv den inn for å sjekke inn digitalt."), "success")
    return redirect(url_for("meetings.show", group_id=meeting.group_id, meeting_id=meeting.id))


@bp.post(f"{PREFIX}/<int:meeting_id>/innsjekk/digitalt")
def remote_check_in(group_id: int, meeting_id: int) -> Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    try:
        checked_in = room.check_in_remote(session, member, meeting,
                                          request.form.get("one_time_code", ""))  # fmt: skip
    except Conflict as error:
        return failed(session, member, meeting, error)
    session.commit()  # a wrong code counts as an attempt
    if not checked_in:
        flash(_("Feil eller utløpt kode. Be om en ny kode."), "error")
        return redirect(url_for("meetings.show", group_id=meeting.group_id,
                                meeting_id=meeting.id))  # fmt: skip
    live.push_present(session, meeting)
    return done(meeting, _("Du er sjekket inn digitalt."))


# --- For the two counters of a vote on paper ----------------------------------------------


@bp.route(f"{PREFIX}/<int:meeting_id>/papirvoteringer/<int:paper_id>", methods=["GET", "POST"])
def paper_count(group_id: int, meeting_id: int, paper_id: int) -> str | Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    paper = paper_votes.paper_for(session, meeting, paper_id)
    access.require(session, member, "meeting.count_paper", paper, visible=True)
    if request.method == "GET":
        return _paper_page(meeting, paper, {}, {})
    form = {k: request.form.get(k, "") for k in ("ja", "nei", "blank")}
    try:
        counts = paper_votes.parse_counts(form, paper)
        outcome = paper_votes.enter_counts(session, member, meeting, paper, counts)
    except ValidationFailed as error:
        session.rollback()
        return _paper_page(meeting, paper, form, error.fields), 400
    except Conflict as error:
        session.rollback()
        flash(error.message, "error")
        return redirect(url_for("meetings.show", group_id=meeting.group_id,
                                meeting_id=meeting.id))  # fmt: skip
    session.commit()
    if outcome == paper_votes.RECORDED:
        return done(meeting, _("Begge tellingene stemmer overens. Resultatet er registrert."))
    if outcome == paper_votes.RECOUNT:
        flash(_("Tellingene stemmer ikke overens. Begge må telle på nytt; ingenting er "
                "registrert."), "error")  # fmt: skip
    else:
        flash(_("Tellingen din er lagret. Resultatet registreres når den andre telleren har "
                "talt likt."), "success")  # fmt: skip
    return redirect(url_for("meetings.paper_count", group_id=meeting.group_id,
                            meeting_id=meeting.id, paper_id=paper.id))  # fmt: skip


def _paper_page(meeting: Meeting, paper: Any, values: dict[str, str], errors: dict[str, str]
                ) -> str:  # fmt: skip
    session, member = get_session(), acting_member()
    return render_template(
        "meetings/paper_vote.html", meeting=meeting, paper=paper, values=values, errors=errors,
        entry=paper_votes.my_entry(session, paper, member.number),
    )  # fmt: skip
