"""What events tell members through notifications: a place from the waiting list, a changed
or cancelled event (to everyone signed up), and new events in the daily digest.

Producers run in the job runner, once per language among the recipients (see
notifications.delivery), so each member's texts come in their own language. The subject
"gathering:<id>" is re-checked with "gathering.see" whenever a notification is shown or
sent. These are personal (the member signed up), so they carry no group: muting a group
does not hide that one's place came through or that the meeting was called off.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.gatherings.models import SIGNED_UP, Gathering, GatheringReply
from innsiden.gatherings.permissions import visible_clause
from innsiden.gatherings.timefmt import when
from innsiden.notifications.registry import (
    DigestItem,
    Draft,
    digest_source,
    notifies,
    subject_visibility,
    subject_visibility_batch,
)
from innsiden.sanitize import plain_excerpt
from membersync.models import Member

CHANGE_WORDS = {"starts_at": "time", "ends_at": "time", "place": "place", "online_url": "place"}


def _changed_title(changed: set[str], title: str) -> str:
    if changed == {"time", "place"}:
        return _("Endret tid og sted: «%(title)s»", title=title)
    if changed == {"time"}:
        return _("Endret tid: «%(title)s»", title=title)
    if changed == {"place"}:
        return _("Endret sted: «%(title)s»", title=title)
    return _("Endret detaljer: «%(title)s»", title=title)


def _url(gathering: Gathering) -> str:
    return f"/arrangementer/{gathering.id}"


def signed_up_numbers(session: Session, gathering_id: int) -> list[int]:
    query = select(GatheringReply.member_number).where(
        GatheringReply.gathering_id == gathering_id, GatheringReply.status.in_(SIGNED_UP)
    )
    return sorted(session.scalars(query))


@notifies("gathering.promoted")
def _promoted(session: Session, payload: dict[str, Any]) -> Iterator[Draft]:
    gathering = session.get(Gathering, payload["gathering_id"])
    reply = session.get(GatheringReply, payload.get("reply_id") or 0)
    if gathering is None or gathering.cancelled or reply is None or reply.status != "confirmed":
        return
    yield Draft(
        recipient_number=payload["member_number"],
        kind="gatherings.promoted",
        title=_("Du har fått plass på «%(title)s»", title=gathering.title),
        excerpt=_(
            "Du sto på ventelisten og har nå plass. %(when)s.", when=when(gathering.starts_at)
        ),
        url=_url(gathering),
        subject=f"gathering:{gathering.id}",
    )


@notifies("gathering.changed")
def _changed(session: Session, payload: dict[str, Any]) -> Iterator[Draft]:
    gathering = session.get(Gathering, payload["gathering_id"])
    if gathering is None or gathering.cancelled:
        return
    changed = {CHANGE_WORDS.get(c, "") for c in payload.get("changes", [])}
    place = gathering.place or gathering.online_url or ""
    for number in signed_up_numbers(session, gathering.id):
        yield Draft(
            recipient_number=number,
            kind="gatherings.changed",
            title=_changed_title(changed, gathering.title),
            excerpt=f"{when(gathering.starts_at)}{', ' + place if place else ''}.",
            url=_url(gathering),
            subject=f"gathering:{gathering.id}",
            actor_number=payload.get("actor"),
        )


@notifies("gathering.cancelled")
def _cancelled(session: Session, payload: dict[str, Any]) -> Iterator[Draft]:
    gathering = session.get(Gathering, payload["gathering_id"])
    if gathering is None:
        return
    reason = gathering.cancel_reason or _("Arrangøren har avlyst arrangementet.")
    for number in signed_up_numbers(session, gathering.id):
        yield Draft(
            recipient_number=number,
            kind="gatherings.cancelled",
            title=_(
                "Avlyst: «%(title)s» %(when)s",
                title=gathering.title,
                when=when(gathering.starts_at),
            ),
            excerpt=reason,
            url=_url(gathering),
            subject=f"gathering:{gathering.id}",
            actor_number=payload.get("actor"),
        )


@subject_visibility("gathering")
def _visible(session: Session, member: Member, ident: str) -> bool:
    if not ident.isdigit():
        return False
    return access.can(session, member, "gathering.see", session.get(Gathering, int(ident)))


@subject_visibility_batch("gathering")
def _visible_many(session: Session, member: Member, idents: Collection[str]) -> set[str]:
    ids = sorted({int(i) for i in idents if i.isdigit()})
    if not ids:
        return set()
    query = select(Gathering.id).where(Gathering.id.in_(ids), visible_clause(session, member))
    return {str(i) for i in session.scalars(query)}


@digest_source
def _new_in_groups(
    session: Session, member: Member, group_ids: Collection[int], since: datetime
) -> list[DigestItem]:
    """Events created since `since` in the member's groups, still to come and not cancelled."""
    if not group_ids:
        return []
    found = session.scalars(
        select(Gathering)
        .where(
            Gathering.group_id.in_(sorted(group_ids)),
            Gathering.created_at >= since,
            Gathering.status == "scheduled",
            Gathering.starts_at >= since,
            # Nobody needs the news of the event they created themselves.
            or_(Gathering.created_by.is_(None), Gathering.created_by != member.number),
        )
        .order_by(Gathering.starts_at)
        .limit(20)
    ).unique()
    return [
        DigestItem(
            group_id=g.group_id,
            group_name=g.group.name,
            title=_(
                "Nytt arrangement: %(title)s – %(when)s", title=g.title, when=when(g.starts_at)
            ),
            url=_url(g),
            excerpt=plain_excerpt(g.description_html, 200),
            created_at=g.created_at,
            subjects=frozenset({f"gathering:{g.id}"}),
        )
        for g in found
        if access.can(session, member, "gathering.see", g)
    ]
