"""Interest groups' life cycle: propose or create, approve, join, ask, invite, leave, archive.

Each function takes the session, the acting member and plain values; it checks the rule in
`innsiden.access`, flushes, and records a domain event for what others must hear of:
`group.proposed`, `group.proposal_decided`, `group.join_requested`, `group.join_decided`,
`group.invited`, `group.joined`, `group.left` (and `group.created`, `group.archived` for
search). `innsiden.groups.notify` turns the ones a
person must be told of into e-mails until the notifications capability takes them over.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden import access, events
from innsiden.admin.permissions import is_portal_admin
from innsiden.errors import Conflict, NotFound, ValidationFailed
from innsiden.groups.membership import has_access_clause
from innsiden.groups.models import (
    Group,
    GroupAppointment,
    GroupMembership,
    Invitation,
    JoinRequest,
)
from innsiden.groups.service import check_name, check_visibility, standing
from membersync.db import utcnow
from membersync.models import Member, OrgUnit


def create_interest_group(
    session: Session,
    actor: Member,
    *,
    name: str,
    description: str = "",
    visibility: str = "open",
    scope_unit_id: str | None = None,
) -> Group:
    """A portal administrator creates an active group; any other member proposes one."""
    access.require(session, actor, "group.propose", None, visible=True)
    name, visibility = check_name(name), check_visibility(visibility)
    if scope_unit_id:
        unit = session.get(OrgUnit, scope_unit_id)
        if unit is None or unit.type not in ("lokallag", "fylkeslag") or unit.removed_at:
            raise ValidationFailed(fields={"scope": _("Velg et lokallag eller fylkeslag.")})
    admin = is_portal_admin(actor)
    group = Group(
        kind="interest",
        own_name=name,
        description=description.strip()[:5000],
        visibility=visibility,
        scope_unit_id=scope_unit_id or None,
        status="active" if admin else "proposed",
        created_by=actor.number,
    )
    if admin:
        group.decided_by, group.decided_at = actor.number, utcnow()
    session.add(group)
    session.flush()
    # The creator runs the group: member and administrator from the start.
    session.add(GroupMembership(group_id=group.id, member_number=actor.number))
    session.add(
        GroupAppointment(
            group_id=group.id,
            member_number=actor.number,
            role="administrator",
            appointed_by=actor.number,
        )
    )
    if not admin:
        events.record(session, "group.proposed", group_id=group.id, by=actor.number)
    else:
        events.record(session, "group.created", group_id=group.id, by=actor.number)
    session.flush()
    return group


def decide_proposal(session: Session, actor: Member, group: Group, *, approve: bool) -> None:
    access.require(session, actor, "group.decide_proposal", group)
    if group.status != "proposed":
        raise Conflict(_("Forslaget er allerede behandlet."))
    group.status = "active" if approve else "declined"
    group.decided_by, group.decided_at = actor.number, utcnow()
    events.record(
        session,
        "group.proposal_decided",
        group_id=group.id,
        approved=approve,
        proposer=group.created_by,
    )
    session.flush()


def archive(session: Session, actor: Member, group: Group) -> None:
    """Make an interest group read-only; its content stays (location groups follow the
    register instead)."""
    access.require(session, actor, "group.administer", group, visible=True)
    if group.is_location or group.status != "active":
        raise ValidationFailed(_("Denne gruppen kan ikke arkiveres her."))
    group.status = "archived"
    events.record(session, "group.archived", group_id=group.id, by=actor.number)
    session.flush()


def join(session: Session, actor: Member, group: Group, message: str = "") -> str:
    """Join an open group (or accept a pending invitation): "joined"; ask to join a closed
    group: "requested"."""
    access.require(session, actor, "group.join", group, visible=True)
    place = standing(session, actor, group)
    if group.visibility == "open" or place.invited:
        _admit(session, group, actor.number)
        _close_invitation(session, group, actor.number, "accepted")
        return "joined"
    if place.requested:
        raise Conflict(_("Du har allerede bedt om å bli med."))
    request = JoinRequest(
        group_id=group.id, member_number=actor.number, message=message.strip()[:1000]
    )
    session.add(request)
    session.flush()
    events.record(
        session,
        "group.join_requested",
        group_id=group.id,
        request_id=request.id,
        member_number=actor.number,
    )
    return "requested"


def _admit(session: Session, group: Group, member_number: int) -> None:
    if session.get(GroupMembership, (group.id, member_number)) is None:
        session.add(GroupMembership(group_id=group.id, member_number=member_number))
        events.record(session, "group.joined", group_id=group.id, member_number=member_number)
    session.flush()


def _close_invitation(session: Session, group: Group, member_number: int, status: str) -> None:
    pending = session.scalars(
        select(Invitation).where(
            Invitation.group_id == group.id,
            Invitation.member_number == member_number,
            Invitation.status == "pending",
        )
    )
    for invitation in pending:
        invitation.status, invitation.answered_at = status, utcnow()
    session.flush()


def leave(session: Session, actor: Member, group: Group) -> None:
    """Leave an interest group (location groups cannot be left, only muted)."""
    if group.is_location:
        raise ValidationFailed(
            _(
                "Du er med i lokallaget og fylkeslaget ditt så lenge registeret sier det. "
                "Du kan skru av varsler i stedet."
            )
        )
    membership = session.get(GroupMembership, (group.id, actor.number))
    if membership is None:
        raise ValidationFailed(_("Du er ikke med i denne gruppen."))
    session.delete(membership)
    appointment = session.get(GroupAppointment, (group.id, actor.number))
    if appointment is not None:
        session.delete(appointment)
    events.record(session, "group.left", group_id=group.id, member_number=actor.number)
    session.flush()


def pending_request(session: Session, group: Group, request_id: int) -> JoinRequest:
    request = session.get(JoinRequest, request_id)
    if request is None or request.group_id != group.id or request.status != "pending":
        raise NotFound()
    return request


def decide_request(
    session: Session, actor: Member, group: Group, request_id: int, *, approve: bool
) -> JoinRequest:
    """A group administrator approves (the member is admitted) or declines a request."""
    access.require(session, actor, "group.administer", group, visible=True)
    request = pending_request(session, group, request_id)
    request.status = "approved" if approve else "declined"
    request.decided_by, request.decided_at = actor.number, utcnow()
    if approve:
        _admit(session, group, request.member_number)
    events.record(
        session,
        "group.join_decided",
        group_id=group.id,
        request_id=request.id,
        member_number=request.member_number,
        approved=approve,
    )
    session.flush()
    return request


def find_member(session: Session, identifier: str) -> Member | None:
    """A member with access by member number or e-mail address (as typed by an inviter)."""
    text = identifier.strip()
    if text.isdigit():
        query = select(Member).where(Member.number == int(text))
    elif "@" in text:
        query = select(Member).where(func.lower(Member.email) == text.lower())
    else:
        return None
    return session.scalars(query.where(has_access_clause()).limit(1)).first()


def invite(session: Session, actor: Member, group: Group, identifier: str) -> Invitation:
    """Invite a member (by member number or e-mail) into an interest group."""
    access.require(session, actor, "group.administer", group, visible=True)
    if group.is_location or group.status != "active":
        raise ValidationFailed(_("Du kan ikke invitere til denne gruppen."))
    invitee = find_member(session, identifier)
    if invitee is None:
        raise ValidationFailed(
            fields={"who": _("Fant ikke noe medlem med det nummeret eller den adressen.")}
        )
    place = standing(session, invitee, group)
    if not place.in_scope:
        raise ValidationFailed(fields={"who": _("Medlemmet hører ikke til gruppens område.")})
    if place.member or place.invited:
        raise Conflict(_("Medlemmet er allerede med eller invitert."))
    invitation = Invitation(
        group_id=group.id, member_number=invitee.number, invited_by=actor.number
    )
    session.add(invitation)
    session.flush()
    events.record(
        session,
        "group.invited",
        group_id=group.id,
        invitation_id=invitation.id,
        member_number=invitee.number,
        by=actor.number,
    )
    return invitation


def answer_invitation(session: Session, actor: Member, group: Group, *, accept: bool) -> None:
    if not standing(session, actor, group).invited:
        raise NotFound()
    if accept:
        join(session, actor, group)
    else:
        _close_invitation(session, group, actor.number, "declined")
