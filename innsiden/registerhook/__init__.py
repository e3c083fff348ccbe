"""registerhook: the member register's push to the portal (`POST /membersync/webhook`)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the member register's webhook."""
    from innsiden.registerhook import views

    app.register_blueprint(views.bp)
