"""The bell's count and the list filter notifications with batched subject checks: the same
answers as asking each notification one by one, in a fixed number of queries however many
unread notifications a member has.

The world is the generated organisation of the group rule tests, with posts (visible and
hidden), polls (opened with an electorate, and not yet opened), join requests and hand-given
appointments added, so every kind's batched check meets every case its rule distinguishes.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.db import session_factory
from innsiden.discussions.models import Post, Thread
from innsiden.gatherings.models import Gathering
from innsiden.groups.models import Group, GroupAppointment, JoinRequest
from innsiden.notifications import service
from innsiden.notifications.models import Notification
from innsiden.polls.models import Poll, PollElector
from membersync.db import utcnow
from membersync.models import Member
from tests.groups.rule_world import build_world, everyone
from tests.querycount import counted


def _extend_world(db: Session, seed: int) -> None:
    rng = random.Random(seed + 7)
    members = everyone(db)
    groups = list(db.scalars(select(Group).order_by(Group.id)).unique())
    now = utcnow()
    for group in groups:
        thread = Thread(group_id=group.id, title="Tråd")
        db.add(thread)
        db.flush()
        for state in ("visible", "hidden", "deleted"):
            db.add(Post(thread_id=thread.id, group_id=group.id, state=state))
        opened = rng.random() < 0.6
        poll = Poll(
            group_id=group.id,
            kind="yes_no",
            question="Skal vi?",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=1),
            opened_at=now if opened else None,
        )
        db.add(poll)
        db.flush()
        for member in rng.sample(members, 6):
            db.add(PollElector(poll_id=poll.id, member_number=member.number))
        for member in rng.sample(members, 5):
            status = rng.choice(("pending", "pending", "approved"))
            db.add(JoinRequest(group_id=group.id, member_number=member.number, status=status))
        for member in rng.sample(members, 4):
            role = rng.choice(("administrator", "moderator"))
            db.add(GroupAppointment(group_id=group.id, member_number=member.number, role=role))
    db.commit()


def _every_subject(session: Session, member: Member) -> list[Notification]:
    """Unsaved notifications to `member` about everything in the world."""
    notes = []

    def note(subject: str, group_id: int | None) -> None:
        notes.append(
            Notification(
                recipient_number=member.number,
                kind="test",
                title="t",
                url="/",
                subject=subject,
                group_id=group_id,
            )
        )

    for post in session.scalars(select(Post)):
        note(f"post:{post.id}", post.group_id)
    for gathering in session.scalars(select(Gathering)):
        note(f"gathering:{gathering.id}", None)
    for poll in session.scalars(select(Poll)).unique():
        note(f"poll:{poll.id}", None)
    for request in session.scalars(select(JoinRequest)):
        note(f"joinrequest:{request.id}", request.group_id)
    for group in session.scalars(select(Group)).unique():
        note(f"invitation:{group.id}", None)
        note(f"proposal:{group.id}", None)
        note(f"post:{group.id}", group.id)  # group check and subject check together
    note("move:1:0001", None)  # a kind without a batched check: asked one by one
    return notes


@pytest.mark.parametrize("seed", [1, 2])
def test_batched_checks_agree_with_one_by_one(app: Flask, db, seed):
    build_world(db, seed)
    _extend_world(db, seed)
    disagreements, shown, total = [], 0, 0
    with app.app_context(), session_factory(app)() as session:
        for member in everyone(session):
            notes = _every_subject(session, member)
            one_by_one = [n.subject for n in notes if service.may_see(session, member, n)]
            batched = [n.subject for n in service.may_see_all(session, member, notes)]
            if batched != one_by_one:
                disagreements.append(
                    f"member {member.number}: one by one only "
                    f"{sorted(set(one_by_one) - set(batched))}, batched only "
                    f"{sorted(set(batched) - set(one_by_one))}"
                )
            shown += len(one_by_one)
            total += len(notes)
        session.rollback()
    assert disagreements == []
    assert 0.05 * total < shown < 0.9 * total, (shown, total)  # the world says yes and no


def _unread_statements(app: Flask, number: int) -> tuple[int, int]:
    with app.app_context(), session_factory(app)() as session:
        member = session.get(Member, number)
        with counted(app) as statements:
            count = service.unread_count(session, member)
        session.rollback()
    return count, len(statements)


def test_the_bells_count_takes_the_same_number_of_queries_for_6_or_90_notifications(app, db):
    build_world(db, 1)
    _extend_world(db, 1)
    reader = next(
        m for m in everyone(db) if m.lokallag_id == "0001" and m.status == "aktiv" and m.in_register
    )
    by_kind: dict[str, list[Notification]] = {}
    for n in _every_subject(db, reader):
        by_kind.setdefault(n.subject.partition(":")[0], []).append(n)
    figures = []
    for per_kind in (1, 15):  # every kind present both times; 6 or 90 unread notifications
        db.execute(Notification.__table__.delete())
        for kind in ("post", "gathering", "poll", "joinrequest", "invitation", "proposal"):
            for n in by_kind[kind][:per_kind]:
                db.add(
                    Notification(
                        recipient_number=reader.number,
                        kind=n.kind,
                        title=n.title,
                        url=n.url,
                        subject=n.subject,
                        group_id=n.group_id,
                    )
                )
        db.commit()
        figures.append(_unread_statements(app, reader.number))
    (few, few_queries), (many, many_queries) = figures
    print("unread_count (count, statements):", figures)
    assert few_queries == many_queries, figures
    assert many > few, figures
