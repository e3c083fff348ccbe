"""Following the register: what each sync changed, read from membersync's change records.

membersync knows nothing of the portal, so the portal follows its `sync_change` rows with a
cursor of its own (as `innsiden.groups.moves` does): a member who lost access starts the
retention clock (`Departure`), one who got it back stops it, open change requests the
mirror now carries are confirmed (and the member told), and an anonymised number whose
register data a sync wrote back is scrubbed again.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from innsiden.events import CONSUMER_LAG, EventCursor
from innsiden.jobs import job
from innsiden.notifications import service as notifications
from innsiden.notifications.delivery import push_unread_counts
from innsiden.profile import notify
from innsiden.profile.models import Departure
from innsiden.profile.requests import confirm_from_mirror
from innsiden.profile.retention import rescrub_mirror
from membersync.db import utcnow
from membersync.models import SyncChange

CURSOR = "sync_change:profile"  # a cursor over sync_change ids, not domain_event ids
BATCH = 2000
MEMBER_KINDS = ("created", "updated", "moved", "deactivated", "reactivated")


@job("profile.follow_register")
def follow_register(session: Session) -> int:
    cursor = session.get(EventCursor, CURSOR, with_for_update=True)
    if cursor is None:
        cursor = EventCursor(consumer=CURSOR, last_event_id=None)
        session.add(cursor)
    query = select(SyncChange).where(SyncChange.created_at <= utcnow() - CONSUMER_LAG)
    if cursor.last_event_id is not None:
        query = query.where(SyncChange.id > cursor.last_event_id)
    changes = session.scalars(query.order_by(SyncChange.id).limit(BATCH)).all()
    if not changes:
        return 0
    numbers = {
        int(c.member_number)
        for c in changes
        if c.kind in MEMBER_KINDS and c.member_number is not None
    }
    _track_departures(session, changes)
    rescrub_mirror(session, numbers)
    confirmed = confirm_from_mirror(session, numbers)
    created = notifications.create(session, [notify.confirmed_draft(r) for r in confirmed])
    cursor.last_event_id = changes[-1].id
    session.commit()
    push_unread_counts(session, {n.recipient_number for n in created})
    return len(changes)


def _track_departures(session: Session, changes: list[SyncChange]) -> None:
    for change in changes:
        if change.member_number is None:
            continue
        number = int(change.member_number)
        if change.kind == "deactivated" and session.get(Departure, number) is None:
            session.add(Departure(member_number=number, left_at=change.created_at))
            session.flush()
        elif change.kind == "reactivated":
            session.execute(delete(Departure).where(Departure.member_number == number))
