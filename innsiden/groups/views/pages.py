"""Group pages: "Mine grupper", the directory, a group's front page and member list, and
the member's own profile settings (what other members see of them)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug import Response

from innsiden import access
from innsiden.db import get_session
from innsiden.errors import NotFound
from innsiden.groups import activity, listing, reshape, service, unit_members
from innsiden.groups.anchors import location_group_ids
from innsiden.groups.blueprint import bp
from innsiden.web import acting_member


@bp.get("/mine")
def mine() -> str:
    session, member = get_session(), acting_member()
    return render_template(
        "groups/mine.html",
        cards=listing.my_groups(session, member),
        invitations=listing.invitations_for(session, member),
        my_proposals=listing.proposals(session, proposer=member),
        led_units=unit_members.units_with_list(session, member),
    )


@bp.get("/")
def directory() -> str:
    session, member = get_session(), acting_member()
    kind = request.args.get("type", "")
    kind = kind if kind in ("lokal", "interesse") else ""
    my_fylke = request.args.get("fylke") == "mitt"
    archived = request.args.get("arkiv") == "1"
    cards = listing.directory(session, member, kind=kind, my_fylke=my_fylke, archived=archived)
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
    # ?arkiv=1 shows a merged group's own page (where it went) instead of redirecting.
    archive = request.args.get("arkiv") == "1"
    group = service.visible_group(session, member, group_id, follow_merge=not archive)
    counts = (
        listing.location_counts(session, [group.unit_id or ""]).get(group.unit_id or "", 0)
        if group.is_location
        else listing.interest_counts(session, [group.id]).get(group.id, 0)
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
        reshape=reshape.page_notes(session, member, group),
    )


@bp.get("/<int:group_id>/medlemmer")
def members(group_id: int) -> str:
    session, member = get_session(), acting_member()
    group = service.visible_group(session, member, group_id)
    access.require(session, member, "group.list_members", group, visible=True)
    query = request.args.get("q", "")
    page = request.args.get("side", "1")
    page_number = int(page) if page.isdigit() and int(page) > 0 else 1
    cards, total = listing.group_members(session, group, query=query, page=page_number)
    pages = max(1, -(-total // listing.MEMBERS_PER_PAGE))
    return render_template(
        "groups/members.html",
        group=group,
        cards=cards,
        total=total,
        query=query,
        page=page_number,
        pages=pages,
    )


@bp.get("/min-profil")
def profile() -> Response:
    # The first wave's profile settings live on in Min profil; old links and bookmarks land there.
    return redirect(url_for("profile.show", _anchor="portalen"), code=301)
