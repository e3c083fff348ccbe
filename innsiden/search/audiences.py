"""Which audiences a member may find documents in, from their memberships at this moment.

Computed on every search from the register mirror and group memberships, never stored in
the index: leaving a group or the organisation takes effect on the next search, with no
re-indexing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from innsiden import access
from innsiden.groups.membership import place_of
from innsiden.groups.service import readable_group_ids
from innsiden.search.engine import ORG, group_audience, unit_audience
from membersync.models import Member


def allowed_audiences(
    session: Session, member: Member | None, readable: set[int] | None = None
) -> frozenset[str]:
    """The "org" audience, the member's lokallag and fylkeslag ("unit:…") and readable groups.

    `readable`: the member's `readable_group_ids`, when the caller has them already."""
    if member is None or not access.may_use_portal(session, member):
        return frozenset()
    if readable is None:
        readable = readable_group_ids(session, member)
    groups = {group_audience(g) for g in readable}
    units = {unit_audience(u) for u in place_of(member).unit_ids()}
    return frozenset({ORG} | groups | units)
