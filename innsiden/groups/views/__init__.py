"""The groups' HTML routes, on the blueprint in `innsiden.groups.blueprint`; importing this
package adds them all.

- pages.py    "Mine grupper", the directory, a group's front page and members, profile settings
- actions.py  form actions: join, ask, leave, invite, appoint, mute, edit, propose, approve
- leader.py   the register's member list of a unit for its leaders (page, CSV, .xlsx)
"""

from innsiden.groups.views import actions, leader, pages

__all__ = ["actions", "leader", "pages"]
