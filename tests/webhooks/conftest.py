"""Webhook tests: the app allows plain http to this machine, and a real HTTP receiver runs on
a free local port in a thread, recording every request and answering as told."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from innsiden import events
from innsiden.jobs import run_all
from innsiden.webhooks.models import WebhookDelivery
from membersync.db import utcnow

JOBS = ("webhooks.collect", "webhooks.send")


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    # Statuses to answer with, in turn; 200 once they run out. A 3xx redirects to /elsewhere.
    answers: list[int] = field(default_factory=list)

    def at(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]


@pytest.fixture
def app_config(app_config: dict[str, object]) -> dict[str, object]:
    app_config["WEBHOOKS_ALLOW_LOOPBACK_HTTP"] = True
    return app_config


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            state.requests.append(Received(self.path, dict(self.headers.items()), body))
            status = state.answers.pop(0) if state.answers else 200
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/hook"
    yield state
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


def run_webhook_jobs(app: Flask, db: Session) -> dict[str, int]:
    """The two webhook jobs once, with recorded events old enough for the consumer's lag."""
    db.execute(update(events.DomainEvent).values(created_at=utcnow() - timedelta(minutes=1)))
    db.commit()
    done = run_all(app, only=JOBS)
    assert all(count >= 0 for count in done.values()), done
    return done


def make_retries_due(db: Session) -> None:
    """Bring every waiting retry's time to now (instead of waiting out the backoff)."""
    db.execute(update(WebhookDelivery).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.commit()
