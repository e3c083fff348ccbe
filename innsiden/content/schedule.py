"""Publish-from and expire-at: whether a published item is live, and the job that makes
scheduled items appear and expired ones disappear by themselves.

`live` is stored, so every listing, search and notification asks one column; it changes
only here, by a conditional UPDATE, so two job runners at once announce a change once.
The job `content.schedule` runs every minute (`innsiden jobs run`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from innsiden import events
from innsiden.content.models import ContentItem
from innsiden.jobs import job
from membersync.db import utcnow


def should_be_live(item: ContentItem, now: datetime) -> bool:
    if item.state != "publisert":
        return False
    started = item.publish_from is None or item.publish_from <= now
    return started and (item.expire_at is None or item.expire_at > now)


def refresh_live(session: Session, item: ContentItem, now: datetime | None = None) -> bool:
    """Bring `live` in line with the state and the clock; True (and an event) if it changed."""
    now = now or utcnow()
    wanted = should_be_live(item, now)
    if wanted == item.live:
        return False
    values: dict[str, object] = {"live": wanted}
    first = wanted and item.published_at is None
    if wanted:
        values["published_at"] = item.published_at or now
    changed = session.execute(
        update(ContentItem)
        .where(ContentItem.id == item.id, ContentItem.live.is_(not wanted))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        session.refresh(item)
        return False
    item.live = wanted
    if wanted:
        item.published_at = values["published_at"]  # type: ignore[assignment]
    name = "content.went_live" if wanted else "content.withdrawn"
    events.record(
        session, name, item_id=item.id, group_id=item.group_id, kind=item.kind, first=first
    )
    session.flush()
    return True


@job("content.schedule")
def publish_and_expire(session: Session) -> int:
    """Make due scheduled items live and expired ones not; returns how many changed."""
    now = utcnow()
    due = session.scalars(
        select(ContentItem)
        .where(ContentItem.state == "publisert")
        .where(
            or_(
                ContentItem.live.is_(False)
                & or_(ContentItem.publish_from.is_(None), ContentItem.publish_from <= now)
                & or_(ContentItem.expire_at.is_(None), ContentItem.expire_at > now),
                ContentItem.live.is_(True) & (ContentItem.expire_at <= now),
            )
        )
        .order_by(ContentItem.id)
    ).all()
    return sum(refresh_live(session, item, now) for item in due)
