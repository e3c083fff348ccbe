"""Objects stored for rows not yet committed: deleted again unless the transaction commits.

A service stores an upload's bytes first and then adds its rows; it hands the new keys to
`track`. If the commit fails, or the request ends in an error and the session is rolled back
or closed, the objects are deleted, so storage keeps no bytes that nothing points at (and the
database never points at bytes that are not there, as rows come second).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from innsiden.files import intake
from innsiden.storage import Storage

_KEY = "innsiden.files.uncommitted"


def track(session: Session, storage: Storage, keys: Iterable[str]) -> None:
    """Delete these objects if the session's current transaction does not commit."""
    session.info.setdefault(_KEY, []).append((storage, list(keys)))


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop(_KEY, None)


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return  # a savepoint; the outer transaction decides
    pending: list[tuple[Storage, list[str]]] | Any = session.info.pop(_KEY, None)
    for storage, keys in pending or ():
        intake.discard_keys(storage, keys)
