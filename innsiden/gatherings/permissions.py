"""Who may do what with events: the rules registered with `innsiden.access`.

Rules (target: a Gathering, except where noted):
- gathering.see — the event's page, calendar entry, .ics and notifications: whoever may read
  its group ("group.read"); everyone when it is open to the whole organisation; members of
  its fylkeslag (lokallag members by their lokallag's fylkeslag) when open to the fylkeslag.
  Set-wise (calendars): `visible_clause`, built from `open_to_clause` and the groups'
  `readable_clause`; tests/gatherings/test_rule_agreement.py checks they agree.
- gathering.create (target: Group) — members who may write in the group ("group.post").
- gathering.reply — sign up: anyone who may see it, while it is not cancelled (the deadline
  is the service's business, so the member is told why).
- gathering.organise — the attendee list, check-in, messages, editing and cancelling: the
  event's organisers (members named by the creator) and the group's moderators and
  administrators (portal administrators through those rules).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from innsiden.access import can, may_use_portal, rule
from innsiden.gatherings.models import Gathering, GatheringOrganiser
from innsiden.groups.membership import place_of
from innsiden.groups.models import Group
from innsiden.groups.permissions import readable_clause
from membersync.models import Member


def _is_gathering(target: Any) -> bool:
    return isinstance(target, Gathering)


def open_to(member: Member, gathering: Gathering) -> bool:
    """True if the event's audience reaches the member beyond its group."""
    if gathering.audience == "organisation":
        return True
    if gathering.audience == "fylkeslag" and gathering.audience_unit_id:
        return place_of(member).fylkeslag_id == gathering.audience_unit_id
    return False


def open_to_clause(member: Member) -> ColumnElement[bool]:
    """SQL on Gathering: `open_to` for many events at once."""
    fylke = place_of(member).fylkeslag_id
    reaches_fylke = (
        and_(Gathering.audience == "fylkeslag", Gathering.audience_unit_id == fylke)
        if fylke
        else false()
    )
    return or_(Gathering.audience == "organisation", reaches_fylke)


@rule("gathering.see")
def _see(session: Session, member: Member, gathering: Any) -> bool:
    if not _is_gathering(gathering):
        return False
    return open_to(member, gathering) or can(session, member, "group.read", gathering.group)


def visible_clause(session: Session, member: Member) -> ColumnElement[bool]:
    """SQL on Gathering: the events `member` may see — "gathering.see" for many at once."""
    if not may_use_portal(session, member):
        return false()
    readable = select(Group.id).where(readable_clause(session, member))
    return or_(open_to_clause(member), Gathering.group_id.in_(readable))


@rule("gathering.create")
def _create(session: Session, member: Member, group: Any) -> bool:
    return isinstance(group, Group) and can(session, member, "group.post", group)


@rule("gathering.reply")
def _reply(session: Session, member: Member, gathering: Any) -> bool:
    if not _is_gathering(gathering) or gathering.cancelled:
        return False
    return _see(session, member, gathering)


@rule("gathering.organise")
def _organise(session: Session, member: Member, gathering: Any) -> bool:
    if not _is_gathering(gathering):
        return False
    if can(session, member, "group.moderate", gathering.group):
        return True
    named = session.get(GatheringOrganiser, (gathering.id, member.number)) is not None
    return named and _see(session, member, gathering)
