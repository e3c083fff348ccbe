"""groups: every lokallag and fylkeslag has a group that follows the register, and members
join interest groups.

Module map (one job each):
- models.py       the tables: group anchors and interest groups, interest memberships,
                  hand-given roles, join requests, invitations, mutes, member profiles
- membership.py   who is in a location group, derived from the mirror at each check
- anchors.py      a location group's row (id + portal settings) made the first time it is asked for
- service.py      the API other capabilities use (groups_of_member,
                  role_in_group, group_member_numbers, notification_level, …)
- interest.py     interest groups' life cycle (propose, approve, join, ask, invite, leave)
- permissions.py  the "group.*" access rules and the realtime room kind "group"
- listing.py      set-wise listings for pages and API (no query per group)
- activity.py     hooks: unread counts and front-page sections other capabilities fill
- unit_members.py, export.py   leaders' member list from the register, CSV and .xlsx, audited
- notify.py       e-mails for requests, decisions and invitations (until notifications exist)
- reshape.py      merges, splits and moves of units: the registry other capabilities'
                  content follows with (@moves_with_group), redirects, origins
- follow_reshapes.py  the job carrying the register's merges, splits and moves out
- redirects.py    old links to a merged group answer 301 to the new group
- views/          pages.py, actions.py (forms), leader.py (member lists) on the /grupper blueprint
- api.py          the JSON API under /api/v1/groups
- demo.py         demo interest groups
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from innsiden import menu


def init_app(app: Flask) -> None:
    """Register the group pages and API, the group.* rules and room, the demo seeder, the jobs
    that follow the register's units and moves, e-mails and search documents."""
    from innsiden.groups import (  # noqa: F401 - each registers what it defines on import
        api,
        demo,
        follow_reshapes,
        moves,
        notify,
        permissions,
        redirects,
        search,
        views,
    )
    from innsiden.groups.blueprint import bp

    app.register_blueprint(bp)
    app.register_blueprint(api.bp)
    menu.item("groups.mine", _l("Mine grupper"), "groups.mine", order=20)
    menu.item("groups.directory", _l("Grupper"), "groups.directory", order=25)
    redirects.init_app(app)
