"""Periodic jobs (`innsiden jobs run`): each capability registers what must happen on a clock.

Safe to run every minute from cron and in several runners at once: each job claims its own
work in the database (e.g. `UPDATE … WHERE sent_at IS NULL`), so nothing is done twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Flask
from sqlalchemy.orm import Session

from innsiden.db import session_factory

log = logging.getLogger(__name__)

Job = Callable[[Session], int]
_jobs: dict[str, Job] = {}


def job(name: str) -> Callable[[Job], Job]:
    """Register a job: it takes a session, does its work, and returns how much it did."""

    def register(function: Job) -> Job:
        _jobs[name] = function
        return function

    return register


def run_all(app: Flask) -> dict[str, int]:
    """Run every registered job once, each in its own transaction; one failing stops none."""
    done: dict[str, int] = {}
    with app.app_context():
        for name, function in sorted(_jobs.items()):
            with session_factory(app)() as session:
                try:
                    done[name] = function(session)
                    session.commit()
                except Exception:
                    session.rollback()
                    log.exception("job %s failed", name)
                    done[name] = -1
    return done


def start_in_process(app: Flask, interval_seconds: float = 60.0) -> threading.Thread:
    """Run the jobs every `interval_seconds` in a daemon thread (used by `make run`)."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval_seconds):
            run_all(app)

    thread = threading.Thread(target=loop, name="innsiden-jobs", daemon=True)
    thread.start()
    return thread
