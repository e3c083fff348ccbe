"""home: the member's front page (their groups' activity stream, what is coming up and
waiting for them, news from above) and the health check."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from innsiden import menu


def init_app(app: Flask) -> None:
    from innsiden.home import api, sources, stream, subjects, views  # noqa: F401 - registers

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    menu.item("home", _l("Forsiden"), "home.index", order=10)
