"""The member's language choice: saved per member, switched from the footer and login page.

How a page picks its language lives in innsiden.i18n; this capability stores the choice.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from innsiden.language import views

    app.register_blueprint(views.bp)
