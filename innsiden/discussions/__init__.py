"""Discussions: threads in every group, with replies, quotes, @mentions, reactions, edit
history, pictures, moderation, unread tracking and live updates.

- models.py       threads, posts, revisions, reactions, reports, read marks, attachments
- permissions.py  thread.* and post.* rules, the "thread" realtime room kind
- service.py      writes: threads, replies, edits, deletions, reactions
- moderation.py   pin, lock, reports, hiding (audited)
- reading.py      thread pages and group listings in a fixed number of queries
- rendering.py    per-request template helpers (links, labels, Oslo times)
- readmarks.py    unread tracking per member and thread
- text.py         Markdown → sanitised HTML with @mentions of group members
- attachments.py  pictures (re-encoded, thumbnails, permission-checked serving)
- mentions.py     @mention autocomplete
- live.py         Socket.IO pushes after commit
- notify.py       notifications: mentions, replies, digest
- search.py       search documents for threads and replies
- activity.py     unread counts and the section on group pages
- blueprint.py    the blueprint under /diskusjoner and its template helpers
- views/          pages.py (reading) and actions.py (forms) on that blueprint
- api.py          /api/v1/discussions
- demo.py         demo threads
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the discussion pages and API, the thread.*/post.* rules and room, the group-page
    section and unread count, the demo seeder, live pushes, notifications and search documents."""
    from innsiden.discussions import (  # noqa: F401 - each registers what it defines on import
        activity,
        api,
        demo,
        live,
        notify,
        permissions,
        regroup,
        search,
        views,
    )
    from innsiden.discussions.blueprint import bp

    app.register_blueprint(bp)
    app.register_blueprint(api.bp)
