"""Personal calendar feed addresses: a secret token per member, stored only as its hash.

The token is shown once, when made; the member can make a new one (the old stops working)
or delete it. It is bound to the member's access epoch, so "log out everywhere", a
suspension or losing membership ends it, and access is checked again on every fetch.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access, audit
from innsiden.gatherings.models import CalendarFeedToken
from membersync.models import Member


def _digest(token: str) -> str:
    # The token carries 256 random bits, so a plain SHA-256 is enough to store it safely.
    return hashlib.sha256(token.encode()).hexdigest()


def current(session: Session, member: Member) -> CalendarFeedToken | None:
    """The member's feed token row, if it still works."""
    row = session.get(CalendarFeedToken, member.number)
    return row if row is not None and row.access_epoch == member.access_epoch else None


def regenerate(session: Session, member: Member) -> str:
    """Make a new feed token (the old one stops working); returns it, for showing once."""
    token = secrets.token_urlsafe(32)
    row = session.get(CalendarFeedToken, member.number)
    if row is None:
        row = CalendarFeedToken(member_number=member.number)
        session.add(row)
    row.token_hash, row.access_epoch = _digest(token), member.access_epoch
    session.flush()
    audit.record(session, "gathering.feed_created", actor_number=member.number)
    return token


def revoke(session: Session, member: Member) -> None:
    row = session.get(CalendarFeedToken, member.number)
    if row is not None:
        session.delete(row)
        session.flush()
        audit.record(session, "gathering.feed_revoked", actor_number=member.number)


def member_for(session: Session, token: str) -> Member | None:
    """The member a feed token belongs to, if the token is current and they may use the portal."""
    if not token or len(token) > 100:
        return None
    row = session.scalar(
        select(CalendarFeedToken).where(CalendarFeedToken.token_hash == _digest(token))
    )
    if row is None:
        return None
    member = session.get(Member, row.member_number)
    if member is None or member.access_epoch != row.access_epoch:
        return None
    return member if access.may_use_portal(session, member) else None
