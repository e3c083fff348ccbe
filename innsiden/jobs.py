"""Periodic jobs (`innsiden jobs run`): each capability registers what must happen on a clock.

Safe to run every minute from cron and in several runners at once: each job claims its own
work in the database (e.g. `UPDATE … WHERE sent_at IS NULL`), so nothing is done twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import String, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from innsiden.db import Base, session_factory
from membersync.db import utcnow

log = logging.getLogger(__name__)

Job = Callable[[Session], int]
_jobs: dict[str, Job] = {}
_every: dict[str, timedelta] = {}


class JobRun(Base):
    """When a job that runs at most every so often last started (`job(…, every=…)`)."""

    __tablename__ = "job_run"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime] = mapped_column()


def job(name: str, *, every: timedelta | None = None) -> Callable[[Job], Job]:
    """Register a job: it takes a session, does its work, and returns how much it did.

    With `every`, it runs at most that often across all runners (a costly sweep), else at
    every run."""

    def register(function: Job) -> Job:
        _jobs[name] = function
        if every is not None:
            _every[name] = every
        return function

    return register


def _due(session: Session, name: str, every: timedelta) -> bool:
    """Claim this period's run in the job's own transaction: a failed run is claimed again
    next time, and of two runners at once the second finds the row already moved on."""
    now = utcnow()
    claimed = session.execute(
        update(JobRun)
        .where(JobRun.name == name, JobRun.started_at <= now - every)
        .values(started_at=now)
    )
    if claimed.rowcount:
        return True
    if session.get(JobRun, name) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(JobRun(name=name, started_at=now))
    except IntegrityError:
        return False  # another runner made the row just now, and runs it
    return True


# Jobs whose results a member watches for (the bell's count, an e-mail about a mention): the
# serving process runs these every second instead of every minute. The durable pipeline is the
# same (events → cursor → notifications), only its clock is faster.
PROMPT_JOBS = ("notifications.create", "notifications.send")


def run_all(
    app: Flask, only: Iterable[str] | None = None, skip: Iterable[str] = ()
) -> dict[str, int]:
    """Run every registered job once (or those named in `only`, minus `skip`), each in its own
    transaction; one failing stops none."""
    done: dict[str, int] = {}
    wanted = set(_jobs if only is None else only) - set(skip)
    with app.app_context():
        for name, function in sorted(_jobs.items()):
            if name not in wanted:
                continue
            with session_factory(app)() as session:
                try:
                    if name in _every and not _due(session, name, _every[name]):
                        continue
                    done[name] = function(session)
                    session.commit()
                except Exception:
                    session.rollback()
                    log.exception("job %s failed", name)
                    done[name] = -1
    return done


def start_in_process(
    app: Flask,
    interval_seconds: float = 60.0,
    only: Iterable[str] | None = None,
    skip: Iterable[str] = (),
    name: str = "innsiden-jobs",
) -> threading.Thread:
    """Run the jobs every `interval_seconds` in a daemon thread (used by `innsiden serve`).

    A job runs in one thread only (`only`/`skip`), so two loops never race for one cursor."""
    stop = threading.Event()
    only, skip = (None if only is None else tuple(only)), tuple(skip)

    def loop() -> None:
        while not stop.wait(interval_seconds):
            run_all(app, only, skip)

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    return thread
