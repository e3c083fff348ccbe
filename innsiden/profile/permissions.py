"""Who may see what of a profile.

- profile.see_picture — the member themself, and members who may read a group the owner is
  in, while the owner has access (a former member's picture is never shown).
- profile.forget — portal administrators ("glem medlemmet").
- profile.see_processing — portal administrators (records of processing).
An archive of one's data is the member's alone: `export.downloadable` answers 404 to
everyone else (there is no rule that could open it to another member).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from innsiden.access import rule
from innsiden.admin.permissions import is_portal_admin
from innsiden.groups.permissions import readable_group_ids
from innsiden.groups.service import groups_of_member
from membersync.access import has_access
from membersync.models import Member


@rule("profile.see_picture")
def _see_picture(session: Session, viewer: Member, owner: Any) -> bool:
    if not isinstance(owner, Member) or not has_access(owner):
        return False
    if owner.number == viewer.number:
        return True
    # Those who can read a group the owner is in see them in its member list.
    owners = {group.id for group in groups_of_member(session, owner)}
    return bool(owners & readable_group_ids(session, viewer))


@rule("profile.forget")
def _forget(_session: Session, member: Member, _target: Any) -> bool:
    return is_portal_admin(member)


@rule("profile.see_processing")
def _see_processing(_session: Session, member: Member, _target: Any) -> bool:
    return is_portal_admin(member)
