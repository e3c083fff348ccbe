"""auth: members log in with one-time codes; sessions end with membership."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the login pages, /api/v1/me and logout, the auth rules, the suspension check
    and the job that purges used login codes."""
    from innsiden.auth import api, permissions, service, views  # noqa: F401 - rules, check, job

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
