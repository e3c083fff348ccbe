"""Poll pages: the lists, a poll with its vote form and results, voting (with the receipt
shown once), the published ballots and receipt check of a secret poll, and the CSV export."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.db import get_session
from innsiden.errors import NotFound, ValidationFailed
from innsiden.groups import service as groups
from innsiden.groups.export import CSV_MIMETYPE
from innsiden.groups.models import Group
from innsiden.groups.permissions import readable_group_ids
from innsiden.polls import export, lifecycle, live, results, service, voting
from innsiden.polls.blueprint import bp
from innsiden.polls.models import Poll
from innsiden.web import acting_member
from membersync.models import Member


def readable_group(session: Session, member: Member, group_id: int) -> Group:
    """The group if the member may read it; 404 otherwise (then 403 for what they may not do)."""
    group = groups.visible_group(session, member, group_id)
    access.require(session, member, "group.read", group)
    return group


def poll_for_page(session: Session, member: Member, poll_id: int) -> Poll:
    """The poll if the member may read it, with any due opening or closing carried out."""
    poll = service.visible_poll(session, member, poll_id)
    if lifecycle.bring_up_to_date(session, poll):
        session.commit()  # a GET's read snapshot predates the transition: start a new one
        session.refresh(poll)
    return poll


@bp.get("/")
def index() -> str:
    session, member = get_session(), acting_member()
    group_ids = readable_group_ids(session, member)
    cards = service.polls_in_groups(session, member, group_ids, limit=100)
    names = {
        g.id: g.name
        for g in groups.groups_by_id(session, {c.poll.group_id for c in cards}).values()
    }
    return render_template("polls/index.html", cards=cards, group_names=names)


@bp.get("/gruppe/<int:group_id>")
def group_polls(group_id: int) -> str:
    session, member = get_session(), acting_member()
    group = readable_group(session, member, group_id)
    return render_template(
        "polls/group.html",
        group=group,
        cards=service.polls_in_groups(session, member, [group.id]),
        members_may_create=service.members_may_create(session, group.id),
    )


def show_context(session: Session, member: Member, poll: Poll) -> dict[str, Any]:
    """Everything the poll page shows, decided by the same rules as the API."""
    state = service.state_of(poll)
    voted = service.has_voted(session, poll, member.number)
    may_vote = access.can(session, member, "poll.vote", poll)
    see_results = access.can(session, member, "poll.results", poll)
    return {
        "poll": poll,
        "group": service.group_of(session, poll),
        "state": state,
        "voted_count": service.turnout(session, poll),
        "has_voted": voted,
        "is_elector": may_vote,
        "can_vote": state == "open" and may_vote and (not voted or poll.may_change),
        "results": results.count(session, poll) if see_results else None,
        "open_votes": results.open_votes(session, poll)
        if access.can(session, member, "poll.voters", poll)
        else [],
        "own_vote": results.own_open_vote(session, poll, member.number),
        "may_edit": access.can(session, member, "poll.manage", poll)
        and state != "closed"
        and not service.has_votes(session, poll),
        "quorum_required": results.quorum_required(poll),
    }


@bp.get("/<int:poll_id>")
def show(poll_id: int) -> str:
    session, member = get_session(), acting_member()
    poll = poll_for_page(session, member, poll_id)
    return render_template("polls/show.html", errors={}, **show_context(session, member, poll))


def choices_from_form(poll: Poll) -> Any:
    if poll.kind == "date":
        return {str(o.id): request.form.get(f"date-{o.id}", "no") for o in poll.options}
    if poll.kind == "multiple":
        return request.form.getlist("choice")
    return request.form.get("choice", "")


@bp.post("/<int:poll_id>/stem")
def vote(poll_id: int) -> str | Response:
    session, member = get_session(), acting_member()
    poll = poll_for_page(session, member, poll_id)
    try:
        outcome = voting.cast_vote(
            session, member, poll, choices_from_form(poll), receipt=request.form.get("receipt")
        )
    except ValidationFailed as error:
        session.rollback()
        context = show_context(session, member, poll)
        page = render_template(
            "polls/show.html", errors=error.fields, message=error.message, **context
        )
        return Response(page, status=400, mimetype="text/html")
    session.commit()
    live.push_after_vote(session, poll)
    if outcome.receipt:
        # Shown once, in this answer only: never in a URL, a cookie or a log.
        return render_template("polls/receipt.html", poll=poll, receipt=outcome.receipt)
    flash(
        _("Stemmen din er endret.") if outcome.changed else _("Stemmen din er registrert."),
        "success",
    )
    return redirect(url_for("polls.show", poll_id=poll.id))


@bp.route("/<int:poll_id>/stemmesedler", methods=["GET", "POST"])
def ballots(poll_id: int) -> str:
    """A closed secret poll's ballots by receipt fingerprint, and the receipt check."""
    session, member = get_session(), acting_member()
    poll = poll_for_page(session, member, poll_id)
    if not poll.secret or service.state_of(poll) != "closed":
        raise NotFound()
    checked: list[str] | None = None
    receipt = ""
    if request.method == "POST":
        receipt = request.form.get("receipt", "")
        checked = results.check_receipt(session, poll, receipt) or []
    return render_template(
        "polls/ballots.html",
        poll=poll,
        ballots=results.published_ballots(session, poll),
        checked=checked,
        receipt=receipt,
    )


@bp.get("/<int:poll_id>/resultat.csv")
def results_csv(poll_id: int) -> Response:
    session, member = get_session(), acting_member()
    poll = poll_for_page(session, member, poll_id)
    access.require(session, member, "poll.results", poll, visible=True)
    body = export.results_csv(session, member, poll)
    return Response(
        body,
        mimetype=CSV_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="avstemning-{poll.id}.csv"'},
    )
