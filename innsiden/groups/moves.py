"""Telling a member that the register moved them to another lokallag.

membersync records every move as a `sync_change` row ("moved", {"fra", "til"}) in the same
transaction as the move; this job reads those rows with a cursor of its own (kept in the
`event_cursor` table under CURSOR) and notifies the member of their new lokallag group,
whichever way the sync ran (cron, command line or webhook).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.events import CONSUMER_LAG, EventCursor
from innsiden.groups.anchors import location_group_ids
from innsiden.i18n import default_language, language
from innsiden.jobs import job
from innsiden.language.service import saved_languages
from innsiden.notifications import service as notifications
from innsiden.notifications.delivery import push_unread_counts
from innsiden.notifications.registry import Draft, subject_visibility
from membersync.db import utcnow
from membersync.models import Member, OrgUnit, SyncChange

CURSOR = "sync_change:moved"  # a cursor over sync_change ids, not domain_event ids
BATCH = 1000


@job("groups.tell_moved_members")
def tell_moved_members(session: Session) -> int:
    cursor = session.get(EventCursor, CURSOR, with_for_update=True)
    if cursor is None:
        cursor = EventCursor(consumer=CURSOR, last_event_id=None)
        session.add(cursor)
    query = select(SyncChange).where(
        SyncChange.kind == "moved", SyncChange.created_at <= utcnow() - CONSUMER_LAG
    )
    if cursor.last_event_id is not None:
        query = query.where(SyncChange.id > cursor.last_event_id)
    moves = session.scalars(query.order_by(SyncChange.id).limit(BATCH)).all()
    if not moves:
        return 0
    new_units = {str(m.detail.get("til")) for m in moves if m.detail.get("til")}
    groups = location_group_ids(session, new_units)
    names = dict(
        session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(list(groups)))).all()
    )
    languages = saved_languages(session, {int(m.member_number) for m in moves if m.member_number})
    drafts = []
    for move in moves:
        unit_id = str(move.detail.get("til") or "")
        if move.member_number is None or unit_id not in groups:
            continue
        number = int(move.member_number)
        with language(languages.get(number, default_language())):  # the member's own language
            drafts.append(
                Draft(
                    recipient_number=number,
                    kind="groups.moved",
                    title=_("Du hører nå til %(unit)s", unit=names[unit_id]),
                    excerpt=_(
                        "Medlemsregisteret har flyttet deg. Du finner den nye gruppen din her."
                    ),
                    url=f"/grupper/{groups[unit_id]}",
                    group_id=groups[unit_id],
                    subject=f"move:{move.member_number}:{unit_id}",
                )
            )
    created = notifications.create(session, drafts)
    cursor.last_event_id = moves[-1].id
    session.commit()
    push_unread_counts(session, {n.recipient_number for n in created})
    return len(created)


@subject_visibility("move")
def _still_there(session: Session, member: Member, ident: str) -> bool:
    """Only while the member still belongs to the lokallag they were told about."""
    number, _, unit_id = ident.partition(":")
    return str(member.number) == number and member.lokallag_id == unit_id
