"""Is this process ready for traffic? The database answers, Redis answers (when configured)
and storage answers. The load balancer (or systemd, or Kubernetes) asks `/klar`."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask
from sqlalchemy import text

from innsiden.db import session_factory
from innsiden.storage import LocalStorage, get_storage

log = logging.getLogger(__name__)

PROBE_KEY = "00/00/" + "0" * 32  # never generated (uuid4 keys), asked only for the answer


def _database(app: Flask) -> None:
    with session_factory(app)() as session:
        session.execute(text("SELECT 1"))


def _redis(app: Flask) -> None:
    import redis

    client = redis.Redis.from_url(
        app.config["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2
    )
    try:
        client.ping()
    finally:
        client.close()


def _storage(_app: Flask) -> None:
    store = get_storage()
    if isinstance(store, LocalStorage) and store.root.exists() and not store.root.is_dir():
        raise OSError(f"{store.root} is not a directory")
    store.exists(PROBE_KEY)  # S3: a HEAD request; a refusal or an outage raises


def checks(app: Flask) -> dict[str, str]:
    """Each dependency's state: "ok", "failed" or "not configured"."""
    probes: dict[str, Callable[[Flask], None] | None] = {
        "database": _database,
        "redis": _redis if app.config.get("REDIS_URL") else None,
        "storage": _storage,
    }
    answers = {}
    for name, probe in probes.items():
        if probe is None:
            answers[name] = "not configured"
            continue
        try:
            probe(app)
            answers[name] = "ok"
        except Exception as error:
            log.warning("readiness: %s failed: %s", name, error)
            answers[name] = "failed"
    return answers
