"""Demo polls: open and closed polls of every kind in Bergen lokallag (0001), created by its
leader Kari Nordmann, and two in the interest group "Klima og miljø". Closed polls get
votes from a seeded random electorate, so their results, ballots and receipts are there
to look at; Kari has not voted in the open ones, so she can try."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.demo import seeder
from innsiden.groups.anchors import location_group_ids
from innsiden.groups.models import Group
from innsiden.polls import drafting, lifecycle, voting
from innsiden.polls.drafting import OptionInput, PollInput
from innsiden.polls.forms import date_label
from innsiden.polls.models import Poll, PollElector
from membersync.db import utcnow
from membersync.models import Member, Position

KARI = 100001

CANDIDATES = ["Ingrid Berg", "Per Hansen", "Anne Johansen", "Lars Olsen", "Marit Larsen"]


def _days(offset: int) -> date:
    return (utcnow() + timedelta(days=offset)).date()


def _bergen_polls(closed: bool) -> list[tuple[dict[str, Any], bool]]:
    """(poll fields, closed?) for Bergen lokallag."""
    suffix = " (avsluttet)" if closed else ""
    start = -30 if closed else 0
    return [
        (
            {
                "kind": "yes_no",
                "question": "Skal lokallaget støtte kampanjen for ny bussrute til Åsane?" + suffix,
                "description": "Styret foreslår at vi **støtter** kampanjen med 5 000 kroner.",
                "results_shown": "live",
                "quorum_kind": "count",
                "quorum_value": 5,
            },
            closed,
        ),
        (
            {
                "kind": "single",
                "question": "Hvem nominerer vi som førstekandidat?" + suffix,
                "options": [OptionInput(n) for n in CANDIDATES[:3]],
                "secret": False,
                "results_shown": "admins",
                "may_change": True,
            },
            closed,
        ),
        (
            {
                "kind": "multiple",
                "question": "Velg tre delegater til fylkesårsmøtet" + suffix,
                "options": [OptionInput(n) for n in CANDIDATES],
                "max_choices": 3,
                "quorum_kind": "percent",
                "quorum_value": 10,
                "may_change": True,
            },
            closed,
        ),
        (
            {
                "kind": "date",
                "question": "Når passer det med medlemsmøte?" + suffix,
                "options": [
                    OptionInput(date_label(_days(start + d), "kl. 19"), _days(start + d))
                    for d in (10, 12, 17)
                ],
                "secret": False,
                "results_shown": "live",
            },
            closed,
        ),
    ]


def _input(fields: dict[str, Any]) -> PollInput:
    now = utcnow()
    return PollInput(closes_at=now + timedelta(days=7), **fields)


def _votes_for(poll: Poll, rng: random.Random) -> Any:
    ids = [o.id for o in poll.options]
    if poll.kind == "date":
        return {str(i): rng.choice(["yes", "yes", "maybe", "no"]) for i in ids}
    if poll.kind == "multiple":
        return rng.sample(ids, rng.randint(1, poll.max_choices or 1))
    return [rng.choice(ids[:2] * 3 + ids)]


def _vote_and_close(session: Session, poll: Poll, rng: random.Random) -> None:
    electors = session.scalars(
        select(PollElector.member_number).where(PollElector.poll_id == poll.id)
    ).all()
    for number in electors:
        if number == KARI or rng.random() < 0.35:
            continue  # not everyone votes
        member = session.get(Member, number)
        if member is not None:
            choices = voting.normalise_choices(poll, _votes_for(poll, rng))
            voting.record_first_vote(session, member, poll, choices)
    now = utcnow()
    poll.opens_at, poll.closes_at = now - timedelta(days=20), now - timedelta(days=10)
    session.flush()
    lifecycle.close_poll(session, poll)


def _make(
    session: Session, creator: Member, group: Group, fields: dict[str, Any], closed: bool
) -> None:
    exists = session.scalar(
        select(Poll.id).where(Poll.group_id == group.id, Poll.question == fields["question"])
    )
    if exists is not None:
        return
    poll = drafting.create_poll(session, creator, group, _input(fields))
    if closed:
        rng = random.Random(poll.question)  # noqa: S311 - repeatable demo data, not secrecy
        _vote_and_close(session, poll, rng)


@seeder("polls")
def seed_polls(session: Session) -> None:
    """Idempotent: polls that exist already (same group and question) are left alone."""
    kari = session.get(Member, KARI)
    bergen_id = location_group_ids(session, ["0001"]).get("0001")
    bergen = session.get(Group, bergen_id) if bergen_id else None
    if kari is not None and bergen is not None:
        for closed in (False, True):
            for fields, is_closed in _bergen_polls(closed):
                _make(session, kari, bergen, fields, is_closed)
    klima = session.scalar(select(Group).where(Group.own_name == "Klima og miljø"))
    admin_number = session.scalar(
        select(Position.member_number).where(Position.role == "sentraladmin")
    )
    admin = session.get(Member, admin_number) if admin_number else None
    if klima is None or admin is None:
        return
    interest = [
        ({"kind": "single", "question": "Hvilken sak skal gruppen løfte i vår?",
          "options": [OptionInput(t) for t in ("Vindkraft", "Matjord", "Kollektivtrafikk")],
          "results_shown": "live"}, False),
        ({"kind": "yes_no", "question": "Skal gruppen ha felles studiesirkel i høst?",
          "results_shown": "after_close"}, True),
    ]  # fmt: skip
    for fields, closed in interest:
        _make(session, admin, klima, fields, closed)
    session.flush()
