"""Prometheus metrics with the official client: request latency by route and Socket.IO
connections measured in each process; job runner lag, outbox queue and sync runs read from
the database when scraped (so any one process answers for the whole portal).

Under gunicorn with several workers or processes on one machine, set PROMETHEUS_MULTIPROC_DIR
to an empty directory (cleared at each start) before the processes start: each writes its
samples there and `/metrics` sums them (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

from flask import Flask, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from innsiden import realtime
from innsiden.db import session_factory
from innsiden.events import DomainEvent, EventCursor
from innsiden.gatherings.models import GatheringMessageRecipient
from innsiden.notifications.models import Notification
from membersync.db import utcnow
from membersync.models import SyncRun

# The process's own metrics live in a registry of their own, so building many apps (tests)
# never registers a name twice in the global one.
REGISTRY = CollectorRegistry(auto_describe=True)

REQUEST_SECONDS = Histogram(
    "innsiden_request_duration_seconds",
    "Time to answer an HTTP request, by route (Flask endpoint), method and status.",
    ["endpoint", "method", "status"],
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
SOCKETIO_CONNECTIONS = Gauge(
    "innsiden_socketio_connections",
    "Live Socket.IO connections (summed over the live processes).",
    registry=REGISTRY,
    multiprocess_mode="livesum",
)


def _started() -> None:
    g.ops_started = time.perf_counter()


def _observed(_error: BaseException | None) -> None:
    started = g.pop("ops_started", None)
    if started is None:
        return
    status = g.pop("ops_status", 500)
    endpoint = request.url_rule.endpoint if request.url_rule is not None else "unmatched"
    REQUEST_SECONDS.labels(endpoint, request.method, str(status)).observe(
        time.perf_counter() - started
    )


def _status(response: Any) -> Any:
    g.ops_status = response.status_code
    return response


class DatabaseCollector(Collector):
    """Read at scrape time: one answer for the whole portal, whichever process is asked."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[Any]:
        with self.app.app_context(), session_factory(self.app)() as session:
            yield from _consumer_lag(session)
            yield _outbox(session)
            yield from _sync_runs(session)
            session.rollback()


def _consumer_lag(session: Any) -> Iterator[Any]:
    behind = GaugeMetricFamily(
        "innsiden_consumer_events_behind",
        "Domain events recorded after the consumer's cursor (job runner and search lag).",
        labels=["consumer"],
    )
    age = GaugeMetricFamily(
        "innsiden_consumer_lag_seconds",
        "Age of the oldest event the consumer has not passed yet (0 when caught up).",
        labels=["consumer"],
    )
    now = utcnow()
    for consumer, last in session.execute(select(EventCursor.consumer, EventCursor.last_event_id)):
        after = select(func.count(), func.min(DomainEvent.created_at)).where(
            DomainEvent.id > (last or 0)
        )
        count, oldest = session.execute(after).one()
        behind.add_metric([consumer], count)
        age.add_metric([consumer], (now - oldest).total_seconds() if oldest else 0.0)
    yield behind
    yield age


def _outbox(session: Any) -> GaugeMetricFamily:
    queue = GaugeMetricFamily(
        "innsiden_outbox_queue", "Messages waiting to be sent, by kind.", labels=["kind"]
    )
    notifications = select(func.count()).where(Notification.email_state == "pending")
    messages = select(func.count()).where(GatheringMessageRecipient.sent_at.is_(None))
    queue.add_metric(["notification_email"], session.scalar(notifications) or 0)
    queue.add_metric(["gathering_message"], session.scalar(messages) or 0)
    return queue


def _sync_runs(session: Any) -> Iterator[Any]:
    runs = CounterMetricFamily(
        "innsiden_sync_runs", "Register sync runs, by outcome.", labels=["outcome"]
    )
    last = GaugeMetricFamily(
        "innsiden_sync_last_finished_timestamp_seconds",
        "When the latest sync run with this outcome finished (Unix time).",
        labels=["outcome"],
    )
    rows = session.execute(
        select(SyncRun.outcome, func.count(), func.max(SyncRun.finished_at)).group_by(
            SyncRun.outcome
        )
    )
    for outcome, count, finished in rows:
        runs.add_metric([outcome], count)
        if finished is not None:
            last.add_metric([outcome], finished.timestamp())
    yield runs
    yield last


def exposition(app: Flask) -> tuple[bytes, str]:
    """The text format Prometheus scrapes: the processes' samples, then the database's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    database = CollectorRegistry()
    database.register(DatabaseCollector(app))
    return generate_latest(processes) + generate_latest(database), CONTENT_TYPE_LATEST


def init_app(app: Flask) -> None:
    # First of the before_request functions, so a request answered by the login check or
    # the rate limiter is measured too.
    app.before_request_funcs.setdefault(None, []).insert(0, _started)
    app.after_request(_status)
    app.teardown_request(_observed)
    if SOCKETIO_CONNECTIONS.set not in realtime.connection_listeners:
        realtime.connection_listeners.append(SOCKETIO_CONNECTIONS.set)
