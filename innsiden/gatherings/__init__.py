"""Events in groups ("arrangementer"): meetings, courses and gatherings with sign-up,
waiting lists that never overbook, reminders and calendars."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from innsiden import menu


def init_app(app: Flask) -> None:
    """Register the event pages and API, the gathering.* rules, the group-page section, the demo
    seeder, the reminder and message jobs, notifications and search documents."""
    from innsiden.gatherings import (  # noqa: F401 - each registers what it defines on import
        activity,
        api,
        demo,
        messages,
        notify,
        permissions,
        regroup,
        reminders,
        search,
        views,
    )
    from innsiden.gatherings.blueprint import bp

    app.register_blueprint(bp)
    app.register_blueprint(api.bp)
    menu.item("gatherings", _l("Arrangementer"), "gatherings.index", order=30)
