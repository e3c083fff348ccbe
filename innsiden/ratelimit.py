"""Rate limits (Flask-Limiter): in memory by default, in Redis when INNSIDEN_REDIS_URL is set.

Views either decorate routes with `limiter.limit(...)` (keyed by client address) or call
`check(scope, limits, key)` where the key is something only the view knows (e.g. the
identifier someone typed). Either way the answer is the Norwegian 429 page or JSON body.
"""

from __future__ import annotations

from flask import Flask, Response, current_app
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import parse_many
from werkzeug.middleware.proxy_fix import ProxyFix

from innsiden.errors import RateLimited, error_response

limiter = Limiter(key_func=get_remote_address)


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
        if not limiter.limiter.hit(item, prefix, scope, key):
            raise RateLimited(message)


def client_address() -> str:
    """The address rate limits count per client (INNSIDEN_TRUSTED_PROXIES behind a proxy)."""
    return get_remote_address()
