"""admin: pages for central administrators (members with the register role `sentraladmin`)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from innsiden import menu


def init_app(app: Flask) -> None:
    """Register the admin pages (front page, sync runs, suspensions) and the admin.* rules."""
    from innsiden.admin import permissions, views  # noqa: F401 - they register on import
    from innsiden.admin.blueprint import bp

    app.register_blueprint(bp)
    menu.item("admin", _l("Administrasjon"), "admin.index", allowed="admin.use", order=90)
