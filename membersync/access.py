"""The access rule: who the register says may use the portal. The only place it is decided."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from membersync.models import Member

STATUSES_WITH_ACCESS = frozenset({"aktiv", "restanse"})


def status_grants_access(status: str) -> bool:
    """True for the register statuses that keep a person a member with portal access."""
    return status in STATUSES_WITH_ACCESS


def has_access(member: Member | None) -> bool:
    """True if the latest register data lets this member use the portal."""
    return member is not None and member.in_register and status_grants_access(member.status)


def end_all_credentials(session: Session, member_number: int) -> None:
    """Invalidate every session, link, code and token the member holds (bumps the epoch)."""
    session.execute(
        update(Member)
        .where(Member.number == member_number)
        .values(access_epoch=Member.access_epoch + 1)
    )
