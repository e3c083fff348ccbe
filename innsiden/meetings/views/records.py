"""The meeting's record pages: the notice with its evidence (for the board; audited, as it
names members), the papers, the constitution, and the minutes — drafting and editing for the
minute-taker, signing with a one-time code for the minute-signers, the published text for
the members. Each form post: parse → service → commit once → redirect."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.db import get_session
from innsiden.desk.audited import audited_session
from innsiden.errors import Conflict, ValidationFailed
from innsiden.gatherings.timefmt import when
from innsiden.groups.models import Group
from innsiden.meetings import minutes, notice, papers, service
from innsiden.meetings.blueprint import bp
from innsiden.meetings.models import Meeting
from innsiden.meetings.roll import day_text
from innsiden.meetings.views.pages import PREFIX
from innsiden.web import acting_member, int_value
from membersync.models import Member


def _meeting(session: Session, member: Member, group_id: int, meeting_id: int) -> Meeting:
    return service.meeting_for(session, member, group_id, meeting_id)


def _to(endpoint: str, meeting: Meeting, message: str, category: str = "success") -> Response:
    flash(message, category)
    response = redirect(url_for(endpoint, group_id=meeting.group_id, meeting_id=meeting.id))
    if category == "error":
        response.status_code = 303
    return response


def _refused(session: Session, endpoint: str, meeting: Meeting,
             error: ValidationFailed | Conflict) -> Response:  # fmt: skip
    session.rollback()
    message = " ".join(error.fields.values()) if isinstance(error, ValidationFailed) else ""
    return _to(endpoint, meeting, message or error.message, "error")


# --- Notice -------------------------------------------------------------------------------


@bp.get(f"{PREFIX}/<int:meeting_id>/innkalling")
def notice_page(group_id: int, meeting_id: int) -> str:
    with audited_session() as (session, actor):
        meeting = _meeting(session, actor, group_id, meeting_id)
        access.require(session, actor, "meeting.manage", meeting, visible=True)
        lines = notice.evidence(session, actor, meeting)
        session.commit()
        return render_template(
            "meetings/notice.html", meeting=meeting, group=session.get(Group, meeting.group_id),
            lines=lines, sent=notice.notice_of(session, meeting),
            summary=notice.summary_words(notice.summary(session, meeting)), when=when,
            papers=papers.papers_of(session, meeting),
        )  # fmt: skip


@bp.post(f"{PREFIX}/<int:meeting_id>/innkalling")
def send_notice(group_id: int, meeting_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(session, member, group_id, meeting_id)
    try:
        notice.send_notice(session, member, meeting, request.form.get("text", ""))
    except (ValidationFailed, Conflict) as error:
        return _refused(session, "meetings.notice_page", meeting, error)
    session.commit()
    return _to("meetings.notice_page", meeting,
               _("Innkallingen sendes nå til alle som ikke har fått den."))  # fmt: skip


# --- Papers -------------------------------------------------------------------------------


@bp.get(f"{PREFIX}/<int:meeting_id>/saksdokumenter")
def papers_page(group_id: int, meeting_id: int) -> str:
    session, member = get_session(), acting_member()
    meeting = _meeting(session, member, group_id, meeting_id)
    access.require(session, member, "meeting.manage", meeting, visible=True)
    profile = service.profile_of(session, meeting)
    return render_template(
        "meetings/papers.html", meeting=meeting, group=session.get(Group, meeting.group_id),
        papers=papers.papers_of(session, meeting), files=papers.attachable_files(session, meeting),
        agenda=[(i, service.item_title(i, profile)) for i in service.agenda(session, meeting)],
    )  # fmt: skip


@bp.post(f"{PREFIX}/<int:meeting_id>/saksdokumenter")
def attach_paper(group_id: int, meeting_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(session, member, group_id, meeting_id)
    try:
        papers.attach(session, member, meeting, int_value(request.form.get("file_id")),
                      int_value(request.form.get("agenda_item_id")))  # fmt: skip
    except (ValidationFailed, Conflict) as error:
        return _refused(session, "meetings.papers_page", meeting, error)
    session.commit()
    return _to("meetings.papers_page", meeting, _("Saksdokumentet er lagt ved."))


@bp.post(f"{PREFIX}/<int:meeting_id>/saksdokumenter/<int:paper_id>/fjern")
def detach_paper(group_id: int, meeting_id: int, paper_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(session, member, group_id, meeting_id)
    papers.detach(session, member, meeting, paper_id)
    session.commit()
    message = _("Saksdokumentet er fjernet fra møtet. Filen ligger fortsatt i filområdet.")
    return _to("meetings.papers_page", meeting, message)


# --- Minutes ------------------------------------------------------------------------------


@bp.get(f"{PREFIX}/<int:meeting_id>/protokoll")
def minutes_page(group_id: int, meeting_id: int) -> str:
    session, member = get_session(), acting_member()
    meeting = _meeting(session, member, group_id, meeting_id)
    access.require(session, member, "meeting.minutes_read", meeting)
    record = minutes.minutes_of(session, meeting)
    version = minutes.current_version(session, record) if record and record.version else None
    return render_template(
        "meetings/minutes.html", meeting=meeting, group=session.get(Group, meeting.group_id),
        record=record, version=version, officers=minutes.officers(session, meeting),
        candidates=minutes.candidates(session, meeting)
        if access.can(session, member, "meeting.manage", meeting) else [],
        signatures=minutes.signatures(session, version) if version else [],
        rendered=minutes.rendered, when=when, day=day_text,
        profile=service.profile_of(session, meeting),
    )  # fmt: skip


def _numbers(name: str) -> list[int]:
    return [n for v in request.form.getlist(name) if (n := int_value(v)) is not None]


@bp.post(f"{PREFIX}/<int:meeting_id>/protokoll/funksjonaerer")
def record_officers(group_id: int, meeting_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(session, member, group_id, meeting_id)
    try:
        minutes.record_officers(session, member, meeting, _numbers("chair"),
                                _numbers("minute_taker"), _numbers("signer"))  # fmt: skip
    except (ValidationFailed, Conflict) as error:
        return _refused(session, "meetings.minutes_page", meeting, error)
    session.commit()
    return _to("meetings.minutes_page", meeting, _("Konstitueringen er registrert."))


@bp.post(f"{PREFIX}/<int:meeting_id>/protokoll/utkast")
def draft_minutes(group_id: int, meeting_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(session, member, group_id, meeting_id)
    try:
        minutes.draft(session, member, meeting)
    except Conflict as error:
        return _refused(session, "meetings.minutes_page", meeting, error)
    session.commit()
    return _to("meetings.minutes_page", meeting, _("Et nytt utkast er laget fra møtets data."))


@bp.post(f"{PREFIX}/<int:meeting_id>/protokoll")
def save_minutes(group_id: int, meeting_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(session, member, group_id, meeting_id)
    try:
        saved = minutes.save(session, member, meeting, request.form.get("body", ""),
                             int_value(request.form.get("version")))  # fmt: skip
    except (ValidationFailed, Conflict) as error:
        return _refused(session, "meetings.minutes_page", meeting, error)
    session.commit()
    if saved is None:
        return _to("meetings.minutes_page", meeting, _("Ingen endringer."))
    return _to("meetings.minutes_page", meeting,
               _("Protokollen er lagret som versjon %(n)s. Underskriftene må gjøres på nytt.",
                 n=saved.number))  # fmt: skip


@bp.post(f"{PREFIX}/<int:meeting_id>/protokoll/kode")
def signing_code(group_id: int, meeting_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(session, member, group_id, meeting_id)
    try:
        message = minutes.request_signing_code(session, member, meeting)
    except Conflict as error:
        return _refused(session, "meetings.minutes_page", meeting, error)
    session.commit()
    if message is None:
        return _to("meetings.minutes_page", meeting,
                   _("Vi har ingen e-postadresse eller mobilnummer til deg i medlemsregisteret."),
                   "error")  # fmt: skip
    minutes.deliver_code(meeting, message)
    return _to("meetings.minutes_page", meeting,
               _("Koden er sendt. Skriv den inn for å underskrive."))  # fmt: skip


@bp.post(f"{PREFIX}/<int:meeting_id>/protokoll/underskriv")
def sign_minutes(group_id: int, meeting_id: int) -> Response:
    session, member = get_session(), acting_member()
    meeting = _meeting(session, member, group_id, meeting_id)
    try:
        outcome = minutes.sign(session, member, meeting, request.form.get("code", ""),
                               int_value(request.form.get("version")))  # fmt: skip
    except Conflict as error:
        return _refused(session, "meetings.minutes_page", meeting, error)
    session.commit()  # a wrong code counts as an attempt
    if outcome is minutes.Signed.WRONG_CODE:
        return _to("meetings.minutes_page", meeting,
                   _("Feil eller utløpt kode. Be om en ny kode."), "error")  # fmt: skip
    if outcome is minutes.Signed.PUBLISHED:
        return _to("meetings.minutes_page", meeting,
                   _("Protokollen er underskrevet av alle og publisert."))  # fmt: skip
    return _to("meetings.minutes_page", meeting, _("Du har underskrevet protokollen."))
