"""The record of every sync run, written in transactions of its own so no outcome is lost."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from membersync.db import utcnow
from membersync.models import SyncRun
from membersync.records import Rejection

SessionFactory = Callable[[], Session]
# Enough to fix an export by; the count in `counts["rejected"]` is always complete.
MAX_STORED_REJECTIONS = 1000


def start_run(
    session_factory: SessionFactory, source: str, trigger: str, actor: str | None, mode: str
) -> int:
    """Record that a run began (committed at once, so even a crash leaves a trace)."""
    with session_factory() as session:
        run = SyncRun(source=source[:500], trigger=trigger, actor=actor, mode=mode)
        session.add(run)
        session.commit()
        return run.id


def finish_run(
    session: Session,
    run_id: int,
    outcome: str,
    counts: dict[str, int],
    rejected: Sequence[Rejection],
    error: str | None = None,
    mode: str | None = None,
) -> None:
    """Write a run's outcome in `session` (the data transaction, or a fresh one)."""
    values: dict[str, Any] = {
        "outcome": outcome,
        "finished_at": utcnow(),
        "counts": counts,
        "rejected": [r.as_dict() for r in rejected[:MAX_STORED_REJECTIONS]],
        "error": error,
    }
    if mode:
        values["mode"] = mode
    session.execute(
        update(SyncRun)
        .where(SyncRun.id == run_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def finish_run_apart(session_factory: SessionFactory, run_id: int, **outcome: Any) -> None:
    """Write a run's outcome in a transaction of its own (the data was not changed)."""
    with session_factory() as session:
        finish_run(session, run_id, **outcome)
        session.commit()
