"""CSRF protection on every form and the security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, current_app
from flask_wtf.csrf import CSRFProtect

from innsiden.web import bearer_token

csrf = CSRFProtect()

# No inline script or style, no external hosts: every asset is served by the portal itself.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if response.mimetype == "text/html":
        # Member pages are personal: never kept by shared caches or the back button of the
        # next person on a library computer.
        headers.setdefault("Cache-Control", "no-store")
    return response


def _protect_unless_bearer() -> None:
    # A request with a bearer token carries no cookie credential (the token replaces the
    # session, see innsiden.auth.session) and a browser cannot add the header cross-site
    # without CORS, which the portal never allows: there is nothing to forge.
    if current_app.config["WTF_CSRF_ENABLED"] and bearer_token() is None:
        csrf.protect(apply_exemptions=True)


def init_app(app: Flask) -> None:
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", True)
    check_default = app.config["WTF_CSRF_CHECK_DEFAULT"]
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # checked below, knowing about bearer tokens
    csrf.init_app(app)
    if check_default:
        app.before_request(_protect_unless_bearer)
    app.after_request(_add_security_headers)
