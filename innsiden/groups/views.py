"""Group pages: "Mine grupper", the directory, a group's front page and member list, and
the member's own profile settings (what other members see of them)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug import Response

from innsiden import access
from innsiden.db import get_session
from innsiden.errors import NotFound, ValidationFailed
from innsiden.groups import activity, listings, service, unit_members
from innsiden.groups.anchors import location_group_ids
from innsiden.groups.blueprint import bp
from innsiden.groups.membership import location_unit_ids
from innsiden.web import current_member
from membersync.models import Member


def acting_member() -> Member:
    """The logged-in member (login is required on every groups route)."""
    member = current_member()
    if member is None:
        raise NotFound()
    return member


@bp.get("/mine")
def mine() -> str:
    session, member = get_session(), acting_member()
    return render_template(
        "groups/mine.html",
        cards=listings.my_groups(session, member),
        invitations=listings.invitations_for(session, member),
        my_proposals=listings.proposals(session, proposer=member),
        led_units=unit_members.units_with_list(session, member),
    )


@bp.get("/")
def directory() -> str:
    session, member = get_session(), acting_member()
    kind = request.args.get("type", "")
    kind = kind if kind in ("lokal", "interesse") else ""
    my_fylke = request.args.get("fylke") == "mitt"
    archived = request.args.get("arkiv") == "1"
    cards = listings.directory(session, member, kind=kind, my_fylke=my_fylke, archived=archived)
    return render_template(
        "groups/directory.html", cards=cards, kind=kind, my_fylke=my_fylke, archived=archived
    )


@bp.get("/lag/<unit_id>")
def by_unit(unit_id: str) -> Response:
    """A lokallag's or fylkeslag's group by register unit id (links from elsewhere)."""
    ids = location_group_ids(get_session(), [unit_id])
    if unit_id not in ids:
        raise NotFound()
    return redirect(url_for("groups.show", group_id=ids[unit_id]))


@bp.get("/<int:group_id>")
def show(group_id: int) -> str:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    counts = (
        listings.location_counts(session, [group.unit_id or ""]).get(group.unit_id or "", 0)
        if group.is_location
        else listings.interest_counts(session, [group.id]).get(group.id, 0)
    )
    can_read = access.can(session, member, "group.read", group)
    standing = service.standing(session, member, group)
    return render_template(
        "groups/show.html",
        group=group,
        member_count=counts,
        standing=standing,
        level=service.notification_level(session, member.number, group.id)
        if standing.member
        else None,
        sections=activity.front_page_sections(session, member, group) if can_read else [],
        can_read=can_read,
    )


@bp.get("/<int:group_id>/medlemmer")
def members(group_id: int) -> str:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    access.require(session, member, "group.list_members", group, visible=True)
    query = request.args.get("q", "")
    page = request.args.get("side", "1")
    page_number = int(page) if page.isdigit() and int(page) > 0 else 1
    cards, total = listings.group_members(session, group, query=query, page=page_number)
    pages = max(1, -(-total // listings.MEMBERS_PER_PAGE))
    return render_template(
        "groups/members.html",
        group=group,
        cards=cards,
        total=total,
        query=query,
        page=page_number,
        pages=pages,
    )


@bp.route("/min-profil", methods=["GET", "POST"])
def profile() -> str | Response:
    session, member = get_session(), acting_member()
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            service.save_profile(
                session,
                member,
                show_email=request.form.get("show_email") == "ja",
                show_mobile=request.form.get("show_mobile") == "ja",
                about=request.form.get("about", ""),
            )
        except ValidationFailed as error:
            errors = error.fields
        else:
            session.commit()
            flash(_("Innstillingene er lagret."), "success")
            return redirect(url_for("groups.profile"))
    return render_template(
        "groups/profile.html",
        profile=service.profile_of(session, member.number),
        errors=errors,
        in_groups=bool(location_unit_ids(member)),
    )
