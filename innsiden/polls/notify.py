"""Polls in notifications: the electorate hears when a poll opens and when it closes soon,
and new polls appear in the daily digest.

Producers run in the job runner after the event's transaction committed; each returns a
draft for every member of the frozen electorate who has not voted yet (muted groups, lost
access and lost visibility are filtered by the notifications mechanism).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.groups import service as groups
from innsiden.notifications.registry import (
    DigestItem,
    Draft,
    digest_source,
    notifies,
    subject_visibility,
    subject_visibility_batch,
)
from innsiden.polls.models import Poll, PollElector, PollVoter
from innsiden.polls.permissions import readable_clause
from innsiden.sanitize import plain_excerpt
from membersync.models import Member


def poll_url(poll_id: int) -> str:
    return f"/avstemninger/{poll_id}"


def _not_yet_voted(session: Session, poll: Poll) -> list[int]:
    voted = select(PollVoter.member_number).where(PollVoter.poll_id == poll.id)
    return list(
        session.scalars(
            select(PollElector.member_number)
            .where(PollElector.poll_id == poll.id, PollElector.member_number.not_in(voted))
            .order_by(PollElector.member_number)
        )
    )


@notifies("poll.opened")
def _opened(session: Session, payload: dict[str, Any]) -> Iterable[Draft]:
    return _to_electorate(session, payload, closing=False)


@notifies("poll.closing_soon")
def _closing_soon(session: Session, payload: dict[str, Any]) -> Iterable[Draft]:
    return _to_electorate(session, payload, closing=True)


def _to_electorate(session: Session, payload: dict[str, Any], *, closing: bool) -> list[Draft]:
    poll = session.get(Poll, int(payload.get("poll_id", 0)))
    if poll is None or poll.closed_at is not None:
        return []
    group = groups.get_group(session, poll.group_id)
    kind = "polls.closing_soon" if closing else "polls.opened"
    if closing:
        title = _("Avstemningen «%(q)s» i %(g)s stenger snart", q=poll.question, g=group.name)
    else:
        title = _("Ny avstemning i %(g)s: %(q)s", g=group.name, q=poll.question)
    excerpt = plain_excerpt(poll.description_html, 200) or _("Stem før avstemningen stenger.")
    return [
        Draft(
            recipient_number=number,
            kind=kind,
            title=title,
            url=poll_url(poll.id),
            excerpt=excerpt,
            group_id=poll.group_id,
            subject=f"poll:{poll.id}",
            announcement=not closing,  # the whole group hears of an opening: the digest's job
        )
        for number in _not_yet_voted(session, poll)
    ]


@subject_visibility("poll")
def _poll_visible(session: Session, member: Member, ident: str) -> bool:
    poll = session.get(Poll, int(ident)) if ident.isdigit() else None
    return access.can(session, member, "poll.read", poll)


@subject_visibility_batch("poll")
def _polls_visible(session: Session, member: Member, idents: Collection[str]) -> set[str]:
    ids = sorted({int(i) for i in idents if i.isdigit()})
    if not ids:
        return set()
    query = select(Poll.id).where(Poll.id.in_(ids), readable_clause(session, member))
    return {str(i) for i in session.scalars(query)}


@digest_source
def _new_polls(
    session: Session, member: Member, group_ids: Collection[int], since: datetime
) -> list[DigestItem]:
    if not group_ids:
        return []
    rows = session.scalars(
        select(Poll)
        .where(
            Poll.group_id.in_(sorted(set(group_ids))),
            Poll.opened_at >= since,
            # Nobody needs the news of the poll they opened themselves.
            or_(Poll.created_by.is_(None), Poll.created_by != member.number),
        )
        .order_by(Poll.opened_at)
    ).all()
    names = {
        g.id: g.name for g in groups.groups_by_id(session, {p.group_id for p in rows}).values()
    }
    return [
        DigestItem(
            group_id=p.group_id,
            group_name=names.get(p.group_id, ""),
            title=_("Avstemning: %(q)s", q=p.question),
            url=poll_url(p.id),
            excerpt=plain_excerpt(p.description_html, 200),
            created_at=p.opened_at or p.created_at,
            subjects=frozenset({f"poll:{p.id}"}),
        )
        for p in rows
    ]
