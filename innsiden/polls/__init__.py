"""polls: members of a group vote on local matters — one member, one vote, a result people trust.

Module map (one job each):
- models.py        polls, options, the frozen electorate, voters, secret ballots, group settings
- service.py       reading: state by the clock, listings, a member's place in a poll
- drafting.py      create, edit until the first vote, delete; the group's "members may create"
- lifecycle.py     open (freeze the electorate), remind, close; the job `polls.open_and_close`
- voting.py        cast and change votes (one per member, enforced by the database)
- secrecy.py       receipts, and reshuffling secret ballots; the residual risks, written down
- results.py       counts, percentages, turnout, quorum, ties; published ballots; open votes
- permissions.py   the "poll.*" rules and the realtime rooms "poll" and "poll-results"
- live.py          Socket.IO pushes after commit; notify.py  notifications and digest items
- activity.py      the group front-page section and the unread count on "Mine grupper"
- forms.py, export.py   form/JSON input (Oslo time → UTC), the CSV export
- views/           pages.py (lists, voting, results) and manage.py (for those who run polls)
- api.py           the JSON API under /api/v1/polls
- demo.py          demo polls of every kind, open and closed
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from innsiden import menu


def init_app(app: Flask) -> None:
    """Register the poll pages and API, the poll.* rules and rooms, the group-page section and
    unread count, the demo seeder, the open/close job, live pushes and notifications."""
    from innsiden.polls import (  # noqa: F401 - each registers what it defines on import
        activity,
        api,
        demo,
        lifecycle,
        live,
        notify,
        permissions,
        regroup,
        views,
    )
    from innsiden.polls.blueprint import bp

    app.register_blueprint(bp)
    app.register_blueprint(api.bp)
    menu.item("polls", _l("Avstemninger"), "polls.index", order=40)
