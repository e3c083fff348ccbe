"""Who manages webhooks (portal administrators), and what may leave the portal through one.

A webhook's receiver is no member: it may get only what every member of the organisation may
see. `organisation_wide_news` and `organisation_wide_gathering` are those rules, asked again
when an event is turned into a delivery, so an item moved into a group or withdrawn since is
never sent.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from innsiden.access import rule
from innsiden.admin.permissions import is_portal_admin
from innsiden.content.models import ContentItem
from innsiden.gatherings.models import Gathering
from membersync.models import Member


@rule("webhook.manage")
def _manage(_session: Session, member: Member, _target: Any) -> bool:
    return is_portal_admin(member)


def organisation_wide_news(item: ContentItem | None) -> bool:
    """Published news of the organisation itself (no group): every member reads it."""
    return item is not None and item.kind == "news" and item.group_id is None and item.live


def organisation_wide_gathering(gathering: Gathering | None) -> bool:
    """An event open to the whole organisation (not a group's, not one fylkeslag's)."""
    return gathering is not None and gathering.audience == "organisation"
