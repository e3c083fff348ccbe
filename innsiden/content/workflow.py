"""The publication workflow, as Plone's simple publication workflow:

    utkast ──send til godkjenning──▶ til_godkjenning ──godkjenn──▶ publisert
      ▲  ◀────────avvis (with a reason)──────┘                       │
      └──────────────────────trekk tilbake──────────────────────────┘

Editors submit and take back their pending items; reviewers approve, reject, publish a
draft directly and take published items back. Every step is recorded (who, when, comment)
and is the item's history. Publishing into a future publish-from leaves it waiting for the
job (`schedule`); the item is live only inside its window.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access, events
from innsiden.content import schedule
from innsiden.content.models import ContentItem, ContentTransition
from innsiden.errors import ValidationFailed
from membersync.db import utcnow
from membersync.models import Member


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    permission: str  # "content.edit" or "content.review"
    label: object
    needs_comment: bool = False


TRANSITIONS = {
    t.action: t
    for t in (
        Transition(
            "send", ("utkast",), "til_godkjenning", "content.edit", _l("Send til godkjenning")
        ),
        Transition(
            "godkjenn",
            ("til_godkjenning",),
            "publisert",
            "content.review",
            _l("Godkjenn og publiser"),
        ),
        Transition("publiser", ("utkast",), "publisert", "content.review", _l("Publiser")),
        Transition("avvis", ("til_godkjenning",), "utkast", "content.review", _l("Avvis"), True),
        Transition("trekk", ("til_godkjenning",), "utkast", "content.edit", _l("Trekk tilbake")),
        Transition(
            "trekk_publisert", ("publisert",), "utkast", "content.review", _l("Trekk tilbake")
        ),
    )
}
STATE_LABELS = {
    "utkast": _l("Utkast"),
    "til_godkjenning": _l("Til godkjenning"),
    "publisert": _l("Publisert"),
}


def available(session: Session, member: Member, item: ContentItem) -> list[Transition]:
    """The steps this member may take with the item now (the buttons on its page)."""
    return [
        t
        for t in TRANSITIONS.values()
        if item.state in t.sources and access.can(session, member, t.permission, item)
    ]


def transition(
    session: Session, actor: Member, item: ContentItem, action: str, comment: str = ""
) -> ContentTransition:
    access.require(session, actor, "content.read", item)
    step = TRANSITIONS.get(action)
    if step is None:
        raise ValidationFailed(_("Ukjent handling."))
    access.require(session, actor, step.permission, item, visible=True)
    if item.state not in step.sources:
        raise ValidationFailed(_("Det kan ikke gjøres med innholdet slik det står nå."))
    comment = comment.strip()
    if step.needs_comment and not comment:
        raise ValidationFailed(
            fields={"comment": _("Skriv hvorfor, så forfatteren vet hva som må rettes.")}
        )
    record = ContentTransition(
        item_id=item.id,
        action=action,
        from_state=item.state,
        to_state=step.target,
        actor_number=actor.number,
        comment=comment[:2000],
    )
    session.add(record)
    item.state = step.target
    item.updated_at = utcnow()
    session.flush()
    events.record(
        session,
        f"content.{action}",
        item_id=item.id,
        group_id=item.group_id,
        by=actor.number,
        author=item.created_by,
        action=action,
    )
    schedule.refresh_live(session, item)
    return record


def history(session: Session, item: ContentItem) -> list[ContentTransition]:
    return list(
        session.scalars(
            select(ContentTransition)
            .where(ContentTransition.item_id == item.id)
            .order_by(ContentTransition.id)
        )
    )
