"""Sweeping stored objects that no row points at.

Services store the bytes first and add their rows second (`innsiden.files.pending` deletes
the bytes again when the transaction does not commit). A process killed between the two
leaves an object behind that nothing references: this sweep lists the stored keys older than
a grace period, asks every registered key column (`innsiden.storedkeys`) which of them are
still referenced, and deletes the rest. The grace period covers uploads still on their way
to their commit. Runs as a job at most every few hours, and as `innsiden storage sweep`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.jobs import job
from innsiden.storage import Storage, get_storage
from innsiden.storedkeys import key_columns
from membersync.db import utcnow

log = logging.getLogger(__name__)

GRACE = timedelta(hours=1)
EVERY = timedelta(hours=6)
BATCH = 500


@dataclass
class SweepReport:
    listed: int = 0
    young: int = 0  # inside the grace period: may still be on the way to its commit
    referenced: int = 0
    deleted: int = 0


def referenced(session: Session, keys: Iterable[str]) -> set[str]:
    """Those of `keys` some registered column holds."""
    wanted = sorted(set(keys))
    found: set[str] = set()
    for column in key_columns():
        if not wanted:
            break
        found.update(session.scalars(select(column).where(column.in_(wanted))))
    return found


def sweep(
    session: Session, store: Storage, *, grace: timedelta = GRACE, now: datetime | None = None
) -> SweepReport:
    """Delete stored objects older than `grace` that no row references; log the counts."""
    cutoff = (now or utcnow()) - grace
    report = SweepReport()
    old = _old_keys(store.listing(), cutoff, report)
    while batch := list(islice(old, BATCH)):
        kept = referenced(session, batch)
        report.referenced += len(kept)
        for key in batch:
            if key not in kept:
                store.delete(key)
                report.deleted += 1
    log.info(
        "storage sweep: %d objects listed, %d within the grace period, %d referenced, "
        "%d orphans deleted",
        report.listed, report.young, report.referenced, report.deleted,
    )  # fmt: skip
    return report


def _old_keys(
    listing: Iterable[tuple[str, datetime]], cutoff: datetime, report: SweepReport
) -> Iterable[str]:
    for key, modified in listing:
        report.listed += 1
        if modified > cutoff:
            report.young += 1
        else:
            yield key


@job("storage.sweep_orphans", every=EVERY)
def _sweep_job(session: Session) -> int:
    return sweep(session, get_storage()).deleted
