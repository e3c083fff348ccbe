"""Rate limits (Flask-Limiter): in memory by default, in Redis when INNSIDEN_REDIS_URL is set.

Views either decorate routes with `limiter.limit(...)` (keyed by client address) or call
`check(scope, limits, key)` where the key is something only the view knows (e.g. the
identifier someone typed). Either way the answer is the Norwegian 429 page or JSON body.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, Response, current_app
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from redis import RedisError
from werkzeug.middleware.proxy_fix import ProxyFix

from innsiden.errors import RateLimited, error_response

log = logging.getLogger(__name__)

limiter = Limiter(key_func=get_remote_address)

# While the shared storage (Redis) does not answer, each process counts on its own: the limits
# still hold (per process, so at most that many times looser) and logging in keeps working.
# Made on first need: a timer thread started before gunicorn forks would not run in a worker.
_fallback: FixedWindowRateLimiter | None = None
_fallback_lock = threading.Lock()


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES", 0))
    if proxies:
        # Behind a reverse proxy every request comes from the proxy: without this, one
        # client's limit would be everyone's (and the audit log would name the proxy).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.config.setdefault("RATELIMIT_ENABLED", True)
    # Several processes must share their counters, or each lets the full limit through.
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "innsiden")
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, _limit_exceeded)


def _limit_exceeded(_error: RateLimitExceeded) -> Response:
    return error_response(
        429, "rate_limited", _("Du har prøvd for mange ganger. Vent litt og prøv igjen.")
    )


def enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED")) and limiter.initialized


def check(scope: str, limits: str, key: str, message: str | None = None) -> None:
    """Count one hit of `scope` for `key` against every limit in `limits` ("3/10 minutes;
    10/day"); raise RateLimited with `message` once any of them is used up."""
    if not enabled():
        return
    prefix = current_app.config["RATELIMIT_KEY_PREFIX"]
    for item in parse_many(limits):
        if not _hit(item, prefix, scope, key):
            raise RateLimited(message)


def _hit(item: RateLimitItem, *identifiers: str) -> bool:
    try:
        return limiter.limiter.hit(item, *identifiers)
    except (RedisError, OSError):
        log.warning("rate limit storage unreachable: counting in this process for now")
        return _fallback_limiter().hit(item, *identifiers)


def _fallback_limiter() -> FixedWindowRateLimiter:
    global _fallback
    with _fallback_lock:
        if _fallback is None:
            _fallback = FixedWindowRateLimiter(MemoryStorage())
        return _fallback


def client_address() -> str:
    """The address rate limits count per client (INNSIDEN_TRUSTED_PROXIES behind a proxy)."""
    return get_remote_address()
