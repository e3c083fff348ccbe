"""content: pages and news with a publishing workflow, in every group and down the
organisation tree (issue 15) — Plone's content items, workflow, versions and local roles.

Module map (one job each):
- models.py        items (pages and news), versions, workflow history, hand-given roles
- roles.py         local roles: derived from register positions, granted by hand, inherited
- permissions.py   the "content.*" rules beside their set-wise SQL forms
- text.py          titles, Markdown bodies, internal links by id
- service.py       reading: an item, a place's pages, breadcrumbs, navigation, news (cascade)
- editing.py       create, save (versions, optimistic concurrency), move, lead picture
- workflow.py      utkast → til godkjenning → publisert, avvis, trekk tilbake; history
- versions.py      diff and restore;  sharing.py  "Deling" (editor/reviewer by hand)
- schedule.py      publish-from / expire-at and the job `content.schedule`
- search.py, notify.py, activity.py   search documents, notifications, group front page
- views/, api.py   pages and the JSON API under /api/v1/content;  demo.py  demo content
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from innsiden import menu


def init_app(app: Flask) -> None:
    from innsiden.content import (  # noqa: F401 - each registers what it defines
        activity,
        api,
        demo,
        front_page,
        notify,
        permissions,
        regroup,
        schedule,
        search,
    )
    from innsiden.content.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api.bp)
    menu.item(
        "content", _l("Nyheter"), "content.news", order=35, values={"place": "organisasjonen"}
    )
