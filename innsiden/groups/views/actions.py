"""Group actions from forms: join, ask, leave, answer invitations and requests, invite,
appoint, mute, edit, and create / propose / approve interest groups. Each parses the form,
calls the service, commits once and redirects with a message."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug import Response

from innsiden import access
from innsiden.db import get_session
from innsiden.errors import ValidationFailed
from innsiden.groups import interest, listing, reshape, service
from innsiden.groups.blueprint import bp
from innsiden.groups.models import Group
from innsiden.web import acting_member
from membersync.models import Member, OrgUnit


def _done(group_id: int, message: str, endpoint: str = "groups.show") -> Response:
    get_session().commit()
    flash(message, "success")
    return redirect(url_for(endpoint, group_id=group_id))


def _group(group_id: int) -> tuple[Session, Member, Group]:
    """The session, the member, and the group if the member may know of it."""
    session, member = get_session(), acting_member()
    return session, member, service.visible_group(session, member, group_id)


@bp.post("/<int:group_id>/bli-med")
def join(group_id: int) -> Response:
    session, member, group = _group(group_id)
    outcome = interest.join(session, member, group, request.form.get("message", ""))
    if outcome == "joined":
        return _done(group.id, _("Du er nå med i gruppen."))
    return _done(group.id, _("Forespørselen er sendt. Du får beskjed når den er behandlet."))


@bp.post("/<int:group_id>/forlat")
def leave(group_id: int) -> Response:
    session, member, group = _group(group_id)
    interest.leave(session, member, group)
    return _done(group.id, _("Du har forlatt gruppen."))


@bp.post("/<int:group_id>/invitasjon")
def answer_invitation(group_id: int) -> Response:
    session, member, group = _group(group_id)
    accept = request.form.get("svar") == "ja"
    interest.answer_invitation(session, member, group, accept=accept)
    if accept:
        return _done(group.id, _("Du er nå med i gruppen."))
    get_session().commit()
    flash(_("Du har takket nei til invitasjonen."), "success")
    return redirect(url_for("groups.mine"))


@bp.post("/<int:group_id>/varsler")
def notifications(group_id: int) -> Response:
    session, member, group = _group(group_id)
    service.set_notification_level(session, member, group, request.form.get("level", ""))
    return _done(group.id, _("Varslingene for gruppen er endret."))


@bp.get("/<int:group_id>/foresporsler")
def requests(group_id: int) -> str:
    session, member, group = _group(group_id)
    access.require(session, member, "group.administer", group, visible=True)
    return render_template(
        "groups/requests.html", group=group, pending=listing.pending_requests(session, group)
    )


@bp.post("/<int:group_id>/foresporsler/<int:request_id>")
def decide_request(group_id: int, request_id: int) -> Response:
    session, member, group = _group(group_id)
    approve = request.form.get("beslutning") == "godkjenn"
    interest.decide_request(session, member, group, request_id, approve=approve)
    message = _("Medlemmet er tatt opp i gruppen.") if approve else _("Forespørselen er avslått.")
    return _done(group.id, message, "groups.requests")


@bp.post("/<int:group_id>/inviter")
def invite(group_id: int) -> Response:
    session, member, group = _group(group_id)
    interest.invite(session, member, group, request.form.get("who", ""))
    return _done(group.id, _("Invitasjonen er sendt."), "groups.members")


@bp.post("/<int:group_id>/roller")
def appoint(group_id: int) -> Response:
    session, member, group = _group(group_id)
    number = request.form.get("medlem", "")
    role = request.form.get("rolle") or None
    if not number.isdigit():
        raise ValidationFailed(_("Velg et medlem."))
    service.appoint(session, member, group, int(number), role)
    return _done(group.id, _("Rollen er endret."), "groups.members")


@bp.route("/<int:group_id>/rediger", methods=["GET", "POST"])
def edit(group_id: int) -> str | Response:
    session, member, group = _group(group_id)
    access.require(session, member, "group.administer", group, visible=True)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            service.update_group(
                session,
                member,
                group,
                description=request.form.get("description", ""),
                name=request.form.get("name"),
                visibility=request.form.get("visibility"),
            )
            if request.form.get("arkiver") == "ja":
                interest.archive(session, member, group)
        except ValidationFailed as error:
            errors = error.fields or {"form": error.message}
        else:
            return _done(group.id, _("Gruppen er oppdatert."))
    return render_template("groups/edit.html", group=group, errors=errors, form=request.form)


@bp.route("/ny", methods=["GET", "POST"])
def create() -> str | Response:
    session, member = get_session(), acting_member()
    access.require(session, member, "group.propose", None, visible=True)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            group = interest.create_interest_group(
                session,
                member,
                name=request.form.get("name", ""),
                description=request.form.get("description", ""),
                visibility=request.form.get("visibility", "open"),
                scope_unit_id=request.form.get("scope") or None,
            )
        except ValidationFailed as error:
            errors = error.fields or {"form": error.message}
        else:
            message = (
                _("Gruppen er opprettet.")
                if group.status == "active"
                else _("Forslaget er sendt til administratorene.")
            )
            return _done(group.id, message)
    scopes = _scope_choices(session)
    return render_template(
        "groups/create.html",
        errors=errors,
        form=request.form,
        scopes=scopes,
        approves=access.can(session, member, "group.decide_proposal", None),
    )


def _scope_choices(session: Session) -> list[tuple[str, str]]:
    """(unit id, name) of the live units an interest group can be scoped to."""
    units = session.scalars(
        select(OrgUnit)
        .where(OrgUnit.type.in_(("fylkeslag", "lokallag")), OrgUnit.removed_at.is_(None))
        .order_by(OrgUnit.type, OrgUnit.name)
    ).unique()
    return [(u.id, u.name) for u in units]


@bp.get("/forslag")
def proposals() -> str:
    session, member = get_session(), acting_member()
    access.require(session, member, "group.decide_proposal", None)
    return render_template("groups/proposals.html", groups=listing.proposals(session))


@bp.post("/<int:group_id>/forslag")
def decide_proposal(group_id: int) -> Response:
    session, member = get_session(), acting_member()
    group = service.get_group(session, group_id)
    approve = request.form.get("beslutning") == "godkjenn"
    interest.decide_proposal(session, member, group, approve=approve)
    session.commit()
    flash(_("Gruppen er godkjent.") if approve else _("Forslaget er avslått."), "success")
    return redirect(url_for("groups.proposals"))


@bp.post("/<int:group_id>/flytt")
def move_item(group_id: int) -> Response:
    """A leader moves a thread or a folder from a split group's archive to a new group."""
    session, member = get_session(), acting_member()
    source = service.visible_group(session, member, group_id, follow_merge=False)
    kind, _sep, item = (request.form.get("item") or "").partition(":")
    target_id, item_id = request.form.get("til", ""), item
    if not (item_id.isdigit() and target_id.isdigit()):
        raise ValidationFailed(_("Velg hva som skal flyttes, og hvor."))
    target = service.get_group(session, int(target_id), follow_merge=False)
    title = reshape.move_item(session, member, kind, int(item_id), source, target)
    return _done(
        source.id, _("«%(title)s» er flyttet til %(group)s.", title=title, group=target.name)
    )
