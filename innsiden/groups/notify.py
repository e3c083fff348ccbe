"""What group members are told, through the notifications mechanism.

Producers for the domain events the groups service records: a group's administrators hear
of a join request, the member of the answer and of an invitation, portal administrators of
a proposed group, the proposer of the decision. Each notification names what it is about
(`subject`), and `subject_visibility` re-checks at delivery that it still applies — an
answered request or an accepted invitation is not e-mailed late.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.admin.permissions import ADMIN_ROLE, is_portal_admin
from innsiden.groups.models import Group, Invitation, JoinRequest
from innsiden.groups.permissions import administered_clause
from innsiden.groups.service import group_administrator_numbers
from innsiden.notifications.registry import (
    Draft,
    notifies,
    subject_visibility,
    subject_visibility_batch,
)
from membersync.models import Member, Position


@notifies("group.join_requested")
def _join_requested(session: Session, payload: dict[str, Any]) -> Iterator[Draft]:
    group = session.get(Group, payload["group_id"])
    asker = session.get(Member, payload["member_number"])
    if group is None or asker is None:
        return
    for number in group_administrator_numbers(session, group):
        yield Draft(
            recipient_number=number,
            kind="groups.join_requested",
            title=_("%(name)s vil bli med i %(group)s", name=asker.full_name, group=group.name),
            url=f"/grupper/{group.id}/foresporsler",
            group_id=group.id,
            subject=f"joinrequest:{payload['request_id']}",
            actor_number=asker.number,
        )


@subject_visibility("joinrequest")
def _request_still_open(session: Session, member: Member, ident: str) -> bool:
    request = session.get(JoinRequest, int(ident))
    if request is None or request.status != "pending":
        return False
    group = session.get(Group, request.group_id)
    return group is not None and access.can(session, member, "group.administer", group)


@subject_visibility_batch("joinrequest")
def _requests_still_open(session: Session, member: Member, idents: Collection[str]) -> set[str]:
    ids = _ids(idents)
    open_requests = (
        select(JoinRequest.id)
        .join(Group, Group.id == JoinRequest.group_id)
        .where(JoinRequest.id.in_(ids), JoinRequest.status == "pending")
        .where(administered_clause(session, member))
    )
    return {str(i) for i in session.scalars(open_requests)} if ids else set()


def _ids(idents: Collection[str]) -> list[int]:
    return sorted({int(i) for i in idents if i.isdigit()})


@notifies("group.join_decided")
def _join_decided(session: Session, payload: dict[str, Any]) -> Iterator[Draft]:
    group = session.get(Group, payload["group_id"])
    if group is None:
        return
    approved = bool(payload.get("approved"))
    yield Draft(
        recipient_number=payload["member_number"],
        kind="groups.join_decided",
        title=(
            _("Du er med i %(group)s", group=group.name)
            if approved
            else _("Forespørselen om å bli med i %(group)s ble avslått", group=group.name)
        ),
        url=f"/grupper/{group.id}" if approved else "/grupper",
        # A declined member may not read the group: the answer is about them, not it.
        group_id=group.id if approved else None,
    )


@notifies("group.invited")
def _invited(session: Session, payload: dict[str, Any]) -> Iterator[Draft]:
    group = session.get(Group, payload["group_id"])
    if group is None:
        return
    yield Draft(
        recipient_number=payload["member_number"],
        kind="groups.invited",
        title=_("Du er invitert til gruppen %(group)s", group=group.name),
        url="/grupper/mine",
        subject=f"invitation:{group.id}",
        actor_number=payload.get("by"),
    )


@subject_visibility("invitation")
def _invitation_still_open(session: Session, member: Member, ident: str) -> bool:
    pending = select(Invitation.id).where(
        Invitation.group_id == int(ident),
        Invitation.member_number == member.number,
        Invitation.status == "pending",
    )
    return session.scalar(pending.limit(1)) is not None


@subject_visibility_batch("invitation")
def _invitations_still_open(session: Session, member: Member, idents: Collection[str]) -> set[str]:
    ids = _ids(idents)
    pending = select(Invitation.group_id).where(
        Invitation.group_id.in_(ids),
        Invitation.member_number == member.number,
        Invitation.status == "pending",
    )
    return {str(i) for i in session.scalars(pending)} if ids else set()


@notifies("group.proposed")
def _proposed(session: Session, payload: dict[str, Any]) -> Iterator[Draft]:
    group = session.get(Group, payload["group_id"])
    if group is None:
        return
    admins = session.scalars(select(Position.member_number).where(Position.role == ADMIN_ROLE))
    for number in set(admins):
        yield Draft(
            recipient_number=number,
            kind="groups.proposed",
            title=_("Forslag til ny gruppe: %(group)s", group=group.name),
            url="/grupper/forslag",
            subject=f"proposal:{group.id}",
            actor_number=payload.get("by"),
        )


@subject_visibility("proposal")
def _proposal_still_open(session: Session, member: Member, ident: str) -> bool:
    group = session.get(Group, int(ident))
    return group is not None and group.status == "proposed" and is_portal_admin(member)


@subject_visibility_batch("proposal")
def _proposals_still_open(session: Session, member: Member, idents: Collection[str]) -> set[str]:
    ids = _ids(idents)
    if not ids or not is_portal_admin(member):
        return set()
    proposed = select(Group.id).where(Group.id.in_(ids), Group.status == "proposed")
    return {str(i) for i in session.scalars(proposed)}


@notifies("group.proposal_decided")
def _proposal_decided(session: Session, payload: dict[str, Any]) -> Iterator[Draft]:
    group = session.get(Group, payload["group_id"])
    if group is None or payload.get("proposer") is None:
        return
    approved = bool(payload.get("approved"))
    yield Draft(
        recipient_number=payload["proposer"],
        kind="groups.proposal_decided",
        title=(
            _("Gruppen %(group)s er godkjent", group=group.name)
            if approved
            else _("Forslaget om gruppen %(group)s ble ikke godkjent", group=group.name)
        ),
        url=f"/grupper/{group.id}" if approved else "/grupper",
        group_id=group.id if approved else None,
    )
