"""Which audiences a member may find documents in, from their memberships at this moment.

Computed on every search from the register mirror and group memberships, never stored in
the index: leaving a group or the organisation takes effect on the next search, with no
re-indexing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from innsiden import access
from innsiden.search import registry
from innsiden.search.engine import ALL_GROUPS, ORG, group_audience, unit_audience
from membersync.models import Member


def allowed_audiences(
    session: Session, member: Member | None, readable: set[int] | None = None
) -> frozenset[str]:
    """The "org" audience, the member's lokallag and fylkeslag ("unit:…") and readable groups.

    `readable`: the ids of the groups the member may read, when the caller has them already.
    A member who may read every group gets `ALL_GROUPS` instead of one audience per group:
    an administrator of thousands of groups searches as cheaply as anyone."""
    if member is None or not access.may_use_portal(session, member):
        return frozenset()
    reach = registry.reach()
    if reach.reads_every_group(session, member):
        groups = {ALL_GROUPS}
    else:
        if readable is None:
            readable = reach.readable_groups(session, member)
        groups = {group_audience(g) for g in readable}
    units = {unit_audience(u) for u in reach.unit_ids(member)}
    return frozenset({ORG} | groups | units)
