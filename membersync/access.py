"""The access rule: who the register says may use the portal. The only place it is decided."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import update
from sqlalchemy.orm import Session

from membersync.models import Member

STATUSES_WITH_ACCESS = frozenset({"aktiv", "restanse"})
CREDENTIAL_BATCH = 1000


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


def end_credentials_of(session: Session, member_numbers: Sequence[int]) -> None:
    """`end_all_credentials` for many members at once (a sync deactivating them).

    Members already loaded in `session` keep their old epoch in memory: a sync works set-wise
    and loads none.
    """
    for start in range(0, len(member_numbers), CREDENTIAL_BATCH):
        batch = member_numbers[start : start + CREDENTIAL_BATCH]
        session.execute(
            update(Member)
            .where(Member.number.in_(batch))
            .values(access_epoch=Member.access_epoch + 1)
            .execution_options(synchronize_session=False)
        )
