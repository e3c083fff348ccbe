"""The polls' HTML routes, on the blueprint in `innsiden.polls.blueprint`; importing this
package adds them all.

- pages.py   the lists, a poll with its vote form and results, voting, ballots, CSV export
- manage.py  for those who run polls: create, edit, delete, the group's "members may create"
"""

from innsiden.polls.views import manage, pages

__all__ = ["manage", "pages"]
