""" "Kommer snart": the member's next events, and a one-click sign-up where nothing is asked.

Reads through the gatherings capability (its listing and sign-up rules); the sign-up itself is
`service.sign_up`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.gatherings import listing
from innsiden.gatherings.models import Gathering
from innsiden.gatherings.permissions import open_to_clause
from innsiden.groups.membership import place_of
from innsiden.groups.models import Group
from membersync.db import utcnow
from membersync.models import Member

SHOWN = 5
LONGEST_EVENT = timedelta(days=31)  # an event that started longer ago is not "coming up"


@dataclass(frozen=True)
class Upcoming:
    entry: listing.Entry
    one_click: bool  # "Meld meg på" right here: open, no questions, no answer yet

    @property
    def gathering(self) -> Gathering:
        return self.entry.gathering


_statements: dict[str | None, Select[tuple[Gathering]]] = {}


def _statement(member: Member) -> Select[tuple[Gathering]]:
    """Built once per fylkeslag (the only thing in it that differs between members), since
    building a statement costs more than running it."""
    fylke = place_of(member).fylkeslag_id
    if fylke not in _statements:
        _statements[fylke] = (
            select(Gathering)
            .where(Gathering.status == "scheduled", Gathering.ends_at >= bindparam("now"))
            # A lower bound on the start lets the index on starts_at skip the past years.
            .where(Gathering.starts_at >= bindparam("since"))
            .where(
                or_(
                    Gathering.group_id.in_(bindparam("groups", expanding=True)),
                    open_to_clause(member),
                )
            )
            .order_by(Gathering.starts_at)
            .limit(SHOWN * 2)
        )
    return _statements[fylke]


def upcoming(session: Session, member: Member, groups: Sequence[Group]) -> list[Upcoming]:
    """The next events in the member's groups or open to them, nearest first."""
    now = utcnow()
    params = {"groups": [g.id for g in groups], "now": now, "since": now - LONGEST_EVENT}
    gatherings = list(session.scalars(_statement(member), params).unique())
    found = listing.entries(session, member, gatherings)
    shown = [e for e in found if access.can(session, member, "gathering.see", e.gathering)]
    return [
        Upcoming(
            entry,
            entry.mine is None
            and not entry.gathering.questions
            and now < entry.gathering.closes_at
            and access.can(session, member, "gathering.reply", entry.gathering),
        )
        for entry in shown[:SHOWN]
    ]
