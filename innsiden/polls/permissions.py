"""Who may do what with polls: the "poll.*" access rules and the realtime room kinds.

Rules (target: a Poll, except "poll.create" and "poll.settings", which take a Group):
- poll.read — see the poll: whoever may read its group ("group.read"), and every member of
  its frozen electorate (leaving the group after the opening does not take the vote away).
- poll.create — group administrators and moderators of a group one may write in; ordinary
  members too where the group's settings allow it.
- poll.settings — change the group's poll settings: group administrators.
- poll.manage — edit (before the first vote) or delete a poll: the group's moderators and
  administrators, and its creator while they may still write in the group.
- poll.vote — read it and be in its electorate (times are the service's to check, with
  a message saying why). A former member never gets this far: `access.can` refuses anyone
  the register no longer grants access.
- poll.results — see counts: "live" everyone who reads it; "after_close" everyone, once
  closed; "admins" the group's moderators and administrators until the close, then everyone.
- poll.voters — see who voted what in an open (not secret) poll: as poll.results.

Room kinds: "poll:<id>" (poll.read) carries only the turnout; "poll-results:<id>"
(poll.results) carries the counts, so a member never receives counts they may not see.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select
from sqlalchemy.orm import Session

from innsiden import realtime
from innsiden.access import can, may_use_portal, rule
from innsiden.groups.models import Group
from innsiden.groups.permissions import readable_clause as readable_groups
from innsiden.polls import service
from innsiden.polls.models import Poll, PollElector
from membersync.models import Member


def _poll(target: Any) -> Poll | None:
    return target if isinstance(target, Poll) else None


@rule("poll.read")
def _read(session: Session, member: Member, target: Any) -> bool:
    poll = _poll(target)
    if poll is None:
        return False
    group = session.get(Group, poll.group_id)
    if can(session, member, "group.read", group):
        return True
    return poll.opened_at is not None and service.is_elector(session, poll, member.number)


def readable_clause(session: Session, member: Member) -> ColumnElement[bool]:
    """SQL on Poll: the polls `member` may read — "poll.read" for many at once."""
    if not may_use_portal(session, member):
        return false()
    elector = exists().where(
        PollElector.poll_id == Poll.id, PollElector.member_number == member.number
    )
    return or_(
        Poll.group_id.in_(select(Group.id).where(readable_groups(session, member))),
        and_(Poll.opened_at.is_not(None), elector),
    )


@rule("poll.create")
def _create(session: Session, member: Member, group: Any) -> bool:
    if not isinstance(group, Group) or not can(session, member, "group.post", group):
        return False
    if can(session, member, "group.moderate", group):
        return True
    return service.members_may_create(session, group.id)


@rule("poll.settings")
def _settings(session: Session, member: Member, group: Any) -> bool:
    return isinstance(group, Group) and can(session, member, "group.administer", group)


@rule("poll.manage")
def _manage(session: Session, member: Member, target: Any) -> bool:
    poll = _poll(target)
    if poll is None:
        return False
    group = session.get(Group, poll.group_id)
    if can(session, member, "group.moderate", group):
        return True
    return poll.created_by == member.number and can(session, member, "group.post", group)


@rule("poll.vote")
def _vote(session: Session, member: Member, target: Any) -> bool:
    poll = _poll(target)
    if poll is None or not can(session, member, "poll.read", poll):
        return False
    return service.is_elector(session, poll, member.number)


@rule("poll.results")
def _results(session: Session, member: Member, target: Any) -> bool:
    poll = _poll(target)
    if poll is None or not can(session, member, "poll.read", poll):
        return False
    if poll.results_shown == "live" or service.state_of(poll) == "closed":
        return True
    if poll.results_shown == "admins":
        return can(session, member, "group.moderate", session.get(Group, poll.group_id))
    return False


@rule("poll.voters")
def _voters(session: Session, member: Member, target: Any) -> bool:
    poll = _poll(target)
    return poll is not None and not poll.secret and can(session, member, "poll.results", poll)


def _poll_from_ident(session: Session, ident: str) -> Poll | None:
    return session.get(Poll, int(ident)) if ident.isdigit() else None


@realtime.room_kind("poll")
def _poll_room(session: Session, member: Member, ident: str) -> bool:
    """Turnout updates of one poll: whoever may read it."""
    return can(session, member, "poll.read", _poll_from_ident(session, ident))


@realtime.room_kind("poll-results")
def _results_room(session: Session, member: Member, ident: str) -> bool:
    """Live counts of one poll: only those who may see its results now."""
    return can(session, member, "poll.results", _poll_from_ident(session, ident))
