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
- views.py / actions.py / api.py   pages, forms and /api/v1/discussions
- demo.py         demo threads
"""
