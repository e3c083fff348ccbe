"""notifications: one mechanism for "something you care about happened", in page and e-mail."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the notification pages and API, the bell in every page, and the jobs that
    create, send and digest notifications."""
    from innsiden.notifications import api, bell, delivery, views  # noqa: F401 - delivery: jobs

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    bell.init_app(app)
