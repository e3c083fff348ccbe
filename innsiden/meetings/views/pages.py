"""The member's årsmøte pages: my meetings, one meeting with my line on the roll, a complaint,
check-in and out, proxies (give, take back, accept, decline), voting (also for a proxy's
giver) and asking for a written ballot. Live counts are pushed after each commit. Each form
post: parse → service → commit once → redirect; bad input re-renders the page with the
message and changes nothing."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.db import get_session
from innsiden.desk import service as desk
from innsiden.errors import Conflict, ValidationFailed
from innsiden.gatherings.timefmt import when
from innsiden.groups.anchors import location_group_ids
from innsiden.groups.models import Group
from innsiden.groups.permissions import readable_group_ids
from innsiden.meetings import attendance, live, minutes, proxies, roll, service, voting
from innsiden.meetings.blueprint import bp
from innsiden.meetings.models import Meeting
from innsiden.web import acting_member, int_value
from membersync.models import Member

PREFIX = "/grupper/<int:group_id>/arsmote"


@bp.get("/arsmoter")
def mine() -> str:
    """Meetings of the groups I read, and the groups whose årsmøte I may call."""
    session, member = get_session(), acting_member()
    ids = readable_group_ids(session, member)
    meetings = list(session.scalars(
        select(Meeting).where(Meeting.group_id.in_(sorted(ids))).order_by(Meeting.starts_at.desc())
    ))  # fmt: skip
    units = desk.desk_units(session, member)
    group_ids = location_group_ids(session, [u.id for u in units])
    callable_groups = [
        g for g in (session.get(Group, gid) for gid in group_ids.values())
        if access.can(session, member, "meeting.call", g)
    ]  # fmt: skip
    groups = {m.group_id: session.get(Group, m.group_id) for m in meetings}
    return render_template(
        "meetings/mine.html", meetings=meetings, groups=groups, callable_groups=callable_groups,
        when=when,
    )  # fmt: skip


def page_context(session: Session, member: Member, meeting: Meeting) -> dict[str, Any]:
    profile = service.profile_of(session, meeting)
    votes = voting.votes_of(session, meeting)
    entry = roll.entry_of(session, meeting, member.number)
    return {
        "meeting": meeting,
        "group": session.get(Group, meeting.group_id),
        "profile": profile,
        "agenda": [(i, service.item_title(i, profile)) for i in service.agenda(session, meeting)],
        "deadlines": service.deadlines(meeting, profile),
        "entry": entry,
        "reason": roll.reason_words(entry) if meeting.roll_state != "none" else None,
        "my_complaints": roll.complaints(session, meeting, member.number),
        "complaints_open": roll.complaints_open(meeting),
        "present": attendance.is_present(session, meeting, member.number),
        "count": attendance.count(session, meeting),
        "votes": [(v, voting.rights_of(session, v, member.number)) for v in votes],
        "turnout": lambda vote: voting.turnout(session, vote),
        "proxy_given": proxies.given_by(session, meeting, member.number),
        "proxies_held": proxies.held_by(session, meeting, member.number),
        "receipt": None,
        "current_member_number": member.number,
        "result_words": voting.result_words,
        "seed_commitment": voting.seed_commitment,
        "when": when,
        "day": roll.day_text,
        **minutes.page_extras(session, member, meeting),
    }


def render_meeting(session: Session, member: Member, meeting: Meeting,
                   error: str | None = None, status: int = 200, **extra: Any
                   ) -> tuple[str, int]:  # fmt: skip
    context = {**page_context(session, member, meeting), **extra}
    body = render_template("meetings/show.html", error=error, **context)
    return body, status


def failed(session: Session, member: Member, meeting: Meeting,
           error: ValidationFailed | Conflict) -> tuple[str, int]:  # fmt: skip
    """Nothing changed: roll back and show the page with what went wrong."""
    session.rollback()
    message = " ".join(error.fields.values()) if isinstance(error, ValidationFailed) else ""
    return render_meeting(session, member, meeting, message or error.message, error.status)


def done(meeting: Meeting, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("meetings.show", group_id=meeting.group_id, meeting_id=meeting.id))


@bp.get(f"{PREFIX}/<int:meeting_id>")
def show(group_id: int, meeting_id: int) -> tuple[str, int]:
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    return render_meeting(session, member, meeting)


@bp.post(f"{PREFIX}/<int:meeting_id>/klage")
def complain(group_id: int, meeting_id: int) -> Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    try:
        roll.complain(session, member, meeting, request.form.get("text", ""))
    except (ValidationFailed, Conflict) as error:
        return failed(session, member, meeting, error)
    session.commit()
    return done(meeting, _("Klagen er sendt til styret."))


@bp.post(f"{PREFIX}/<int:meeting_id>/innsjekk")
def check_in(group_id: int, meeting_id: int) -> Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    try:
        attendance.check_in(session, member, meeting, request.form.get("code", ""))
    except (ValidationFailed, Conflict) as error:
        return failed(session, member, meeting, error)
    session.commit()
    live.push_present(session, meeting)
    return done(meeting, _("Du er sjekket inn."))


@bp.post(f"{PREFIX}/<int:meeting_id>/utsjekk")
def check_out(group_id: int, meeting_id: int) -> Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    try:
        attendance.check_out(session, member, meeting)
    except Conflict as error:
        return failed(session, member, meeting, error)
    session.commit()
    live.push_present(session, meeting)
    return done(meeting, _("Du er sjekket ut. Sjekk inn igjen med koden når du kommer tilbake."))


@bp.post(f"{PREFIX}/<int:meeting_id>/voteringer/<int:vote_id>/stem")
def cast(group_id: int, meeting_id: int, vote_id: int) -> Response | tuple[str, int]:
    """My vote, or (form field "for") the vote of a member whose proxy I hold. A written
    ballot's receipt is shown once, on the page that answers the vote."""
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    vote = voting.vote_for(session, meeting, vote_id)
    for_member = int_value(request.form.get("for"))
    try:
        receipt = voting.cast(session, member, meeting, vote, request.form.get("choice", ""),
                              for_member)  # fmt: skip
    except (ValidationFailed, Conflict) as error:
        return failed(session, member, meeting, error)
    session.commit()
    live.push_turnout(session, vote)
    if receipt:
        return render_meeting(session, member, meeting, receipt=receipt)
    return done(meeting, _("Stemmen din er registrert."))


@bp.post(f"{PREFIX}/<int:meeting_id>/voteringer/<int:vote_id>/skriftlig")
def request_written(group_id: int, meeting_id: int, vote_id: int) -> Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    vote = voting.vote_for(session, meeting, vote_id)
    try:
        voting.request_written(session, member, meeting, vote)
    except Conflict as error:
        return failed(session, member, meeting, error)
    session.commit()
    return done(meeting, _("Avstemningen er nå skriftlig. Alle stemmer på nytt, hemmelig."))


def _proxy_action(group_id: int, meeting_id: int, action: Any, message: str
                  ) -> Response | tuple[str, int]:  # fmt: skip
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    try:
        action(session, member, meeting)
    except (ValidationFailed, Conflict) as error:
        return failed(session, member, meeting, error)
    session.commit()
    return done(meeting, message)


@bp.post(f"{PREFIX}/<int:meeting_id>/fullmakt")
def give_proxy(group_id: int, meeting_id: int) -> Response | tuple[str, int]:
    holder = int_value(request.form.get("holder"))
    message = _("Fullmakten er sendt. Den gjelder når mottakeren har godtatt den.")
    return _proxy_action(
        group_id, meeting_id, lambda s, m, mt: proxies.issue(s, m, mt, holder), message
    )


@bp.post(f"{PREFIX}/<int:meeting_id>/fullmakt/trekk")
def revoke_proxy(group_id: int, meeting_id: int) -> Response | tuple[str, int]:
    return _proxy_action(group_id, meeting_id, proxies.revoke,
                         _("Fullmakten er trukket tilbake."))  # fmt: skip


@bp.post(f"{PREFIX}/<int:meeting_id>/fullmakt/<int:giver>/godta")
def accept_proxy(group_id: int, meeting_id: int, giver: int) -> Response | tuple[str, int]:
    message = _("Du har tatt imot fullmakten. Den teller når du er sjekket inn.")
    return _proxy_action(
        group_id, meeting_id, lambda s, m, mt: proxies.accept(s, m, mt, giver), message
    )


@bp.post(f"{PREFIX}/<int:meeting_id>/fullmakt/<int:giver>/nei")
def decline_proxy(group_id: int, meeting_id: int, giver: int) -> Response | tuple[str, int]:
    return _proxy_action(group_id, meeting_id,
                         lambda s, m, mt: proxies.decline(s, m, mt, giver),
                         _("Du har sagt nei til fullmakten."))  # fmt: skip
