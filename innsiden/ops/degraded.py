"""Tell members when live updates are down instead of letting pages go quietly stale.

With several web processes the live updates (new replies, vote counts, the bell) travel
through Redis. When Redis does not answer, pages still work but nothing updates by itself;
a member who waits for a live count deserves to know that a reload is needed. Each process
asks Redis at most once every PROBE_INTERVAL seconds with a short timeout, so a page pays for
the probe at most that often, and never when Redis is not configured.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

PROBE_INTERVAL = 10.0  # seconds between probes in one process
PROBE_TIMEOUT = 0.25  # seconds; a page must not wait long for an answer about Redis
EXTENSION_KEY = "innsiden_live_health"


class LiveHealth:
    """The last known state of the live-update channel in this process."""

    def __init__(self, redis_url: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.redis_url = redis_url
        self.clock = clock
        self.down = False
        self._checked_at: float | None = None
        self._lock = threading.Lock()

    def is_down(self) -> bool:
        """The cached answer, refreshed when it is older than PROBE_INTERVAL. Only one
        request thread probes at a time; the others use the answer they have."""
        now = self.clock()
        due = self._checked_at is None or now - self._checked_at >= PROBE_INTERVAL
        if due and self._lock.acquire(blocking=False):
            try:
                self._checked_at = now
                self.down = not self._answers()
            finally:
                self._lock.release()
        return self.down

    def _answers(self) -> bool:
        import redis

        client = redis.Redis.from_url(
            self.redis_url, socket_timeout=PROBE_TIMEOUT, socket_connect_timeout=PROBE_TIMEOUT
        )
        try:
            return bool(client.ping())
        except (redis.RedisError, OSError):
            return False
        finally:
            client.close()


def health(app: Flask) -> LiveHealth | None:
    """This app's live-update health, or None when live updates do not use Redis."""
    return app.extensions.get(EXTENSION_KEY)


def _template_context() -> dict[str, Any]:
    checker = health(current_app)
    return {"live_updates_down": bool(checker and checker.is_down())}


def init_app(app: Flask) -> None:
    if app.config.get("REDIS_URL"):
        app.extensions[EXTENSION_KEY] = LiveHealth(app.config["REDIS_URL"])
    app.context_processor(_template_context)
