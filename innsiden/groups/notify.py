"""Telling people what happened in groups — by plain e-mail until notifications exist.

Listens to the domain events the groups service records and, after the commit, e-mails:
the group's administrators of a join request, the member of the answer and of an
invitation, portal administrators of a proposed group, the proposer of the decision.
The notifications capability replaces this module: it consumes the same events
(`group.join_requested`, `group.join_decided`, `group.invited`, `group.proposed`,
`group.proposal_decided`) and honours each member's settings; then drop this module's
import from the app factory. A failing mail never fails the request (events.py logs it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import events
from innsiden.admin.permissions import ADMIN_ROLE
from innsiden.groups.models import Group
from innsiden.groups.service import group_administrator_numbers
from innsiden.mail import Mail, send_mail
from membersync.models import Member, Position

Handler = Callable[[Session, dict[str, Any]], Iterator[Mail]]
_handlers: dict[str, Handler] = {}


def handles(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _handlers[name] = handler
        return handler

    return register


@events.listen
def _deliver(event: events.Event) -> None:
    handler = _handlers.get(event.name)
    if handler is None or not has_app_context():
        return
    with current_app.extensions["innsiden.read_sessionmaker"]() as session:
        for mail in list(handler(session, event.payload)):
            send_mail(mail)


def _link(path: str) -> str:
    return f"{current_app.config['BASE_URL']}{path}"


def _mails(session: Session, numbers: set[int], subject: str, text: str) -> Iterator[Mail]:
    if not numbers:
        return
    for member in session.scalars(select(Member).where(Member.number.in_(sorted(numbers)))):
        if member.email:
            yield Mail(to=member.email, subject=subject, text=text)


@handles("group.join_requested")
def _join_requested(session: Session, payload: dict[str, Any]) -> Iterator[Mail]:
    group, asker = (
        session.get(Group, payload["group_id"]),
        session.get(Member, payload["member_number"]),
    )
    if group is None or asker is None:
        return
    subject = _("%(name)s vil bli med i %(group)s", name=asker.full_name, group=group.name)
    text = _(
        "%(name)s har bedt om å bli med i gruppen %(group)s.\n\nSvar her: %(link)s\n",
        name=asker.full_name,
        group=group.name,
        link=_link(f"/grupper/{group.id}/foresporsler"),
    )
    yield from _mails(session, group_administrator_numbers(session, group), subject, text)


@handles("group.join_decided")
def _join_decided(session: Session, payload: dict[str, Any]) -> Iterator[Mail]:
    group = session.get(Group, payload["group_id"])
    if group is None:
        return
    if payload.get("approved"):
        subject = _("Du er med i %(group)s", group=group.name)
        text = _(
            "Forespørselen din er godkjent. Gruppen: %(link)s\n", link=_link(f"/grupper/{group.id}")
        )
    else:
        subject = _("Svar på forespørselen om %(group)s", group=group.name)
        text = _(
            "Administratorene av %(group)s har avslått forespørselen din om å bli med.\n",
            group=group.name,
        )
    yield from _mails(session, {payload["member_number"]}, subject, text)


@handles("group.invited")
def _invited(session: Session, payload: dict[str, Any]) -> Iterator[Mail]:
    group = session.get(Group, payload["group_id"])
    if group is None:
        return
    subject = _("Invitasjon til %(group)s", group=group.name)
    text = _(
        "Du er invitert til gruppen %(group)s på Innsiden.\n\nSvar på invitasjonen her: %(link)s\n",
        group=group.name,
        link=_link("/grupper/mine"),
    )
    yield from _mails(session, {payload["member_number"]}, subject, text)


@handles("group.proposed")
def _proposed(session: Session, payload: dict[str, Any]) -> Iterator[Mail]:
    group = session.get(Group, payload["group_id"])
    if group is None:
        return
    admins = set(session.scalars(select(Position.member_number).where(Position.role == ADMIN_ROLE)))
    subject = _("Forslag til ny gruppe: %(group)s", group=group.name)
    text = _(
        "Et medlem har foreslått gruppen %(group)s.\n\nBehandle forslaget: %(link)s\n",
        group=group.name,
        link=_link("/grupper/forslag"),
    )
    yield from _mails(session, admins, subject, text)


@handles("group.proposal_decided")
def _proposal_decided(session: Session, payload: dict[str, Any]) -> Iterator[Mail]:
    group = session.get(Group, payload["group_id"])
    if group is None or payload.get("proposer") is None:
        return
    if payload.get("approved"):
        subject = _("Gruppen %(group)s er godkjent", group=group.name)
        text = _("Gruppen du foreslo er opprettet: %(link)s\n", link=_link(f"/grupper/{group.id}"))
    else:
        subject = _("Forslaget om %(group)s ble ikke godkjent", group=group.name)
        text = _("En administrator har avslått forslaget om gruppen %(group)s.\n", group=group.name)
    yield from _mails(session, {payload["proposer"]}, subject, text)
