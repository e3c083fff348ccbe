"""Calendars: the events of one group, or across a member's groups and those open to them.

Every listing is a fixed handful of queries whatever the number of events: the events
(with their group joined), reply counts for all of them at once, the member's own replies
at once. "My calendar" (page and feed) holds the events of the groups the member is in,
events open to the whole organisation, and events open to the member's fylkeslag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, false, or_, select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.gatherings.models import Gathering, GatheringReply
from innsiden.gatherings.permissions import open_to_clause, visible_clause
from innsiden.gatherings.signup import Counts, counts, replies_of
from innsiden.gatherings.timefmt import local, oslo_day_bounds
from innsiden.groups import service as groups
from innsiden.groups.models import Group
from membersync.db import utcnow
from membersync.models import Member

PAGE_SIZE = 50
FEED_PAST = timedelta(days=60)
FEED_LIMIT = 500


@dataclass(frozen=True)
class Entry:
    gathering: Gathering
    counts: Counts
    mine: GatheringReply | None


@dataclass(frozen=True)
class Day:
    day: date
    in_month: bool
    entries: list[Entry]


def mine(session: Session, member: Member) -> Select[tuple[Gathering]]:
    """The member's calendar: their groups' events and events open to them."""
    if not access.may_use_portal(session, member):
        return select(Gathering).where(false())
    group_ids = sorted(g.id for g in groups.groups_of_member(session, member))
    return select(Gathering).where(or_(Gathering.group_id.in_(group_ids), open_to_clause(member)))


def of_group(session: Session, member: Member, group: Group) -> Select[tuple[Gathering]]:
    """One group's calendar: all of it for readers, else only what is open to the member."""
    return select(Gathering).where(Gathering.group_id == group.id, visible_clause(session, member))


def upcoming(
    session: Session,
    member: Member,
    query: Select[tuple[Gathering]],
    *,
    past: bool = False,
    limit: int = PAGE_SIZE,
    after: Gathering | None = None,
) -> list[Entry]:
    """Events not yet over (or, with `past`, those over), nearest first.

    `after`: the last event of the previous page (the API's keyset pages walk the order of
    start time and id, so each event comes once however many are added meanwhile)."""
    now = utcnow()
    if past:
        query = query.where(Gathering.ends_at < now)
        query = query.order_by(Gathering.starts_at.desc(), Gathering.id.desc())
        if after is not None:
            query = query.where(
                or_(
                    Gathering.starts_at < after.starts_at,
                    and_(Gathering.starts_at == after.starts_at, Gathering.id < after.id),
                )
            )
    else:
        query = query.where(Gathering.ends_at >= now)
        query = query.order_by(Gathering.starts_at, Gathering.id)
        if after is not None:
            query = query.where(
                or_(
                    Gathering.starts_at > after.starts_at,
                    and_(Gathering.starts_at == after.starts_at, Gathering.id > after.id),
                )
            )
    return entries(session, member, list(session.scalars(query.limit(limit)).unique()))


def month(
    session: Session, member: Member, query: Select[tuple[Gathering]], first: date
) -> list[list[Day]]:
    """The month as weeks (Monday first) of days, each with the events starting that day."""
    grid_start = first - timedelta(days=first.weekday())
    last = _month_end(first)
    grid_end = last + timedelta(days=6 - last.weekday())
    start, end = oslo_day_bounds(grid_start, grid_end)
    query = query.where(Gathering.starts_at >= start, Gathering.starts_at < end)
    found = entries(
        session, member, list(session.scalars(query.order_by(Gathering.starts_at)).unique())
    )
    by_day: dict[date, list[Entry]] = {}
    for entry in found:
        by_day.setdefault(local(entry.gathering.starts_at).date(), []).append(entry)
    days = [grid_start + timedelta(days=n) for n in range((grid_end - grid_start).days + 1)]
    cells = [Day(d, d.month == first.month, by_day.get(d, [])) for d in days]
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def feed(session: Session, member: Member) -> list[Gathering]:
    """The personal feed: the member's calendar from a while back and onwards."""
    query = mine(session, member).where(Gathering.starts_at >= utcnow() - FEED_PAST)
    return list(session.scalars(query.order_by(Gathering.starts_at).limit(FEED_LIMIT)).unique())


def entries(session: Session, member: Member, gatherings: list[Gathering]) -> list[Entry]:
    ids = [g.id for g in gatherings]
    counted = counts(session, ids)
    own = replies_of(session, member.number, ids)
    return [Entry(g, counted.get(g.id, Counts()), own.get(g.id)) for g in gatherings]


def _month_end(first: date) -> date:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def month_start(text: str | None, now: datetime | None = None) -> date:
    """The first day of the month asked for ("2026-10"), or of the current Oslo month."""
    try:
        year, number = (int(part) for part in (text or "").split("-"))
        return date(year, number, 1)
    except ValueError:
        return local(now or utcnow()).date().replace(day=1)


def neighbours(first: date) -> tuple[date, date]:
    previous = (first - timedelta(days=1)).replace(day=1)
    return previous, _month_end(first) + timedelta(days=1)
