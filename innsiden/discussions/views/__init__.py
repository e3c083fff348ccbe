"""The discussions' HTML routes, on the blueprint in `innsiden.discussions.blueprint`;
importing this package adds them all.

- pages.py    a group's threads, a thread, a post's history, reports, pictures, live fragments
- actions.py  forms: start a thread, reply, edit, delete, react, report, moderate
"""

from innsiden.discussions.views import actions, pages

__all__ = ["actions", "pages"]
