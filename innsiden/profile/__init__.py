"""Min profil and the member's privacy rights.

- `service`: the register's data from the mirror, the portal's profile, interests, picture.
- `requests` + `channels`: change requests to the register (e-mail or signed API POST).
- `follow`: reads membersync's change records — confirms requests, starts the retention clock.
- `export`: "Last ned dataene mine", built by a job, the member's alone for 7 days.
- `retention`: anonymising former members after the retention period, or at once ("glem").
- `processing`: records of processing, for administrators.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from innsiden import menu


def init_app(app: Flask) -> None:
    from innsiden.profile import (  # noqa: F401 - rules, producers and jobs register on import
        api,
        demo,
        export,
        follow,
        notify,
        permissions,
        requests,
        retention,
        settings,
        views,
    )

    settings.init_app(app)
    app.register_blueprint(views.pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(views.admin.bp)
    menu.item("profile", _l("Min profil"), "profile.show", order=80)
