"""Election pages: the meeting's elections in order (with the delegation to a delegates'
meeting), one election with its nominees, benkeforslag, the secret ballot (its receipt shown
once), and the count's report round by round. A refused ballot shows the page again with the
reason; nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from innsiden.db import get_session
from innsiden.errors import Conflict, ValidationFailed
from innsiden.groups.models import Group
from innsiden.meetings import delegates, elections, service
from innsiden.meetings.blueprint import bp
from innsiden.meetings.models import Election, Meeting
from innsiden.meetings.views.pages import PREFIX
from innsiden.web import acting_member, int_value
from membersync.models import Member, OrgUnit

ELECTIONS = f"{PREFIX}/<int:meeting_id>/valg"


def _name(session: Session, number: int) -> str:
    member = session.get(Member, number)
    return f"{member.first_name} {member.last_name}" if member else _("tidligere medlem")


def _message(error: ValidationFailed | Conflict) -> str:
    if isinstance(error, ValidationFailed) and error.fields:
        return " ".join(error.fields.values())
    return error.message


def _list_body(session: Session, meeting: Meeting, error: str | None = None) -> str:
    seats = delegates.delegation(session, meeting)
    units = {u: session.get(OrgUnit, u) for u in seats}
    return render_template(
        "meetings/elections.html",
        meeting=meeting,
        group=session.get(Group, meeting.group_id),
        elections=elections.elections_of(session, meeting),
        kind_words=elections.kind_words,
        kinds=elections.KINDS,
        delegation=seats,
        units=units,
        name=lambda n: _name(session, n),
        error=error,
    )


def _election_body(
    session: Session,
    member: Member,
    meeting: Meeting,
    election: Election,
    error: str | None = None,
    receipt: str | None = None,
) -> str:
    nominees = elections.nominees_of(session, election)
    elector, voted = elections.has_voted(session, election, member.number)
    return render_template(
        "meetings/election.html",
        meeting=meeting,
        group=session.get(Group, meeting.group_id),
        election=election,
        nominees=nominees,
        standing=elections.standing(session, election),
        names=elections.names(session, nominees),
        kind_words=elections.kind_words,
        method=elections.METHOD[election.kind],
        floor_open=elections.floor_open(session, meeting, election),
        elector=elector,
        voted=voted,
        report=elections.report_text(session, election),
        tie=elections.pending_tie(election),
        tie_words=elections.tie_purpose_words,
        ballots=elections.published_ballots(session, election),
        error=error,
        receipt=receipt,
        elected=[_name(session, n) for n in election.elected or []],
    )


@bp.route(ELECTIONS, methods=["GET", "POST"])
def election_list(group_id: int, meeting_id: int) -> str | Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    if request.method == "GET":
        return _list_body(session, meeting)
    form = request.form
    try:
        election = elections.create(
            session,
            member,
            meeting,
            form.get("kind", ""),
            form.get("title", ""),
            int_value(form.get("seats")),
            int_value(form.get("to_meeting_id")),
        )
    except (ValidationFailed, Conflict) as error:
        session.rollback()
        return _list_body(session, meeting, _message(error)), error.status
    session.commit()
    flash(_("Valget er lagt til."), "success")
    return redirect(
        url_for(
            "meetings.election", group_id=group_id, meeting_id=meeting_id, election_id=election.id
        )
    )


@bp.get(f"{ELECTIONS}/<int:election_id>")
def election(group_id: int, meeting_id: int, election_id: int) -> str:
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    found = elections.election_for(session, meeting, election_id)
    return _election_body(session, member, meeting, found)


def _act(
    group_id: int,
    meeting_id: int,
    election_id: int,
    action: Callable[[Session, Member, Meeting, Election], Any],
    message: str,
) -> Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    found = elections.election_for(session, meeting, election_id)
    try:
        action(session, member, meeting, found)
    except (ValidationFailed, Conflict) as error:
        session.rollback()
        return _election_body(session, member, meeting, found, _message(error)), error.status
    session.commit()
    flash(message, "success")
    return redirect(
        url_for(
            "meetings.election", group_id=group_id, meeting_id=meeting_id, election_id=election_id
        )
    )


@bp.post(f"{ELECTIONS}/<int:election_id>/kandidater")
def nominate(group_id: int, meeting_id: int, election_id: int) -> Response | tuple[str, int]:
    form = request.form

    def add(session: Session, member: Member, meeting: Meeting, found: Election) -> None:
        elections.nominate(
            session,
            member,
            meeting,
            found,
            int_value(form.get("member_number")),
            form.get("gender", ""),
            form.get("consent") == "ja",
            form.get("floor") == "ja",
        )

    return _act(group_id, meeting_id, election_id, add, _("Kandidaten er foreslått."))


@bp.post(f"{ELECTIONS}/<int:election_id>/apne")
def open_ballot(group_id: int, meeting_id: int, election_id: int) -> Response | tuple[str, int]:
    return _act(
        group_id, meeting_id, election_id, elections.open_ballot, _("Valgomgangen er åpnet.")
    )


@bp.post(f"{ELECTIONS}/<int:election_id>/lukk")
def close_ballot(group_id: int, meeting_id: int, election_id: int) -> Response | tuple[str, int]:
    return _act(
        group_id,
        meeting_id,
        election_id,
        elections.close_ballot,
        _("Valgomgangen er lukket og telt."),
    )


@bp.post(f"{ELECTIONS}/<int:election_id>/likhet")
def decide_tie(group_id: int, meeting_id: int, election_id: int) -> Response | tuple[str, int]:
    chosen = int_value(request.form.get("nominee"))

    def decide(session: Session, member: Member, meeting: Meeting, found: Election) -> None:
        elections.decide_tie(session, member, meeting, found, chosen)

    return _act(
        group_id, meeting_id, election_id, decide, _("Møteleder har avgjort stemmelikheten.")
    )


@bp.post(f"{ELECTIONS}/<int:election_id>/stem")
def cast_ballot(group_id: int, meeting_id: int, election_id: int) -> tuple[str, int]:
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    found = elections.election_for(session, meeting, election_id)
    if elections.METHOD[found.kind] == "stv":
        ranks = sorted(
            (int_value(v), int_value(k.removeprefix("rank-")))
            for k, v in request.form.items()
            if k.startswith("rank-") and int_value(v)
        )
        choices = [c for _rank, c in ranks if c is not None]
    else:
        choices = [c for c in (int_value(v) for v in request.form.getlist("choice")) if c]
    try:
        receipt = elections.cast(session, member, meeting, found, choices)
    except (ValidationFailed, Conflict) as error:
        session.rollback()
        return _election_body(session, member, meeting, found, _message(error)), error.status
    session.commit()
    return _election_body(session, member, meeting, found, receipt=receipt), 200


@bp.post(f"{PREFIX}/<int:meeting_id>/delegater/<int:member_number>/trekk")
def withdraw_delegate(
    group_id: int, meeting_id: int, member_number: int
) -> Response | tuple[str, int]:
    session, member = get_session(), acting_member()
    meeting = service.meeting_for(session, member, group_id, meeting_id)
    try:
        delegates.withdraw(session, member, meeting, member_number, request.form.get("note", ""))
    except (ValidationFailed, Conflict) as error:
        session.rollback()
        return _list_body(session, meeting, _message(error)), error.status
    session.commit()
    flash(_("Delegaten har trukket seg; første vararepresentant har tatt plassen."), "success")
    return redirect(url_for("meetings.election_list", group_id=group_id, meeting_id=meeting_id))
