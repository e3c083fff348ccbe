"""What events tell members through notifications: a place from the waiting list, a changed
or cancelled event (to everyone signed up), and new events in the daily digest.

Producers run in the job runner (no request, so texts are plain bokmål). The subject
"gathering:<id>" is re-checked with "gathering.see" whenever a notification is shown or
sent. These are personal (the member signed up), so they carry no group: muting a group
does not hide that one's place came through or that the meeting was called off.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.gatherings.models import SIGNED_UP, Gathering, GatheringReply
from innsiden.gatherings.timefmt import when
from innsiden.notifications.registry import (
    DigestItem,
    Draft,
    digest_source,
    notifies,
    subject_visibility,
)
from innsiden.sanitize import plain_excerpt
from membersync.models import Member

CHANGE_WORDS = {"starts_at": "tid", "ends_at": "tid", "place": "sted", "online_url": "sted"}


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
        title=f"Du har fått plass på «{gathering.title}»",
        excerpt=f"Du sto på ventelisten og har nå plass. {when(gathering.starts_at)}.",
        url=_url(gathering),
        subject=f"gathering:{gathering.id}",
    )


@notifies("gathering.changed")
def _changed(session: Session, payload: dict[str, Any]) -> Iterator[Draft]:
    gathering = session.get(Gathering, payload["gathering_id"])
    if gathering is None or gathering.cancelled:
        return
    changed = {CHANGE_WORDS.get(c, "") for c in payload.get("changes", [])}
    what = " og ".join(w for w in ("tid", "sted") if w in changed) or "detaljer"
    place = gathering.place or gathering.online_url or ""
    for number in signed_up_numbers(session, gathering.id):
        yield Draft(
            recipient_number=number,
            kind="gatherings.changed",
            title=f"Endret {what}: «{gathering.title}»",
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
    reason = gathering.cancel_reason or "Arrangøren har avlyst arrangementet."
    for number in signed_up_numbers(session, gathering.id):
        yield Draft(
            recipient_number=number,
            kind="gatherings.cancelled",
            title=f"Avlyst: «{gathering.title}» {when(gathering.starts_at)}",
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
        )
        .order_by(Gathering.starts_at)
        .limit(20)
    ).unique()
    return [
        DigestItem(
            group_id=g.group_id,
            group_name=g.group.name,
            title=f"Nytt arrangement: {g.title} – {when(g.starts_at)}",
            url=_url(g),
            excerpt=plain_excerpt(g.description_html, 200),
            created_at=g.created_at,
        )
        for g in found
        if access.can(session, member, "gathering.see", g)
    ]
