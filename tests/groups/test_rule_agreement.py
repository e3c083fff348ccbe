"""Each group rule and its set-wise (SQL) form give the same answer for every member and
group of a generated organisation, before and after the register moves members around.

Listings, search and calendars use the set-wise forms; pages and the API ask the rule. Were
the two to differ, a hidden group would be named in a listing to someone its page answers
404, or a readable group would be missing from search.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.db import session_factory
from innsiden.groups import permissions
from innsiden.groups.models import Group
from tests.groups.rule_world import build_world, everyone, move_members


def _set_wise(session: Session, member, action: str) -> set[int]:
    if action == "group.see":
        clause = permissions.visible_clause(session, member)
    else:
        clause = permissions.readable_clause(session, member)
    return set(session.scalars(select(Group.id).where(clause)))


def disagreements(app: Flask) -> tuple[list[str], dict[str, int]]:
    """Every (action, member) whose two answers differ, and how many pairs each rule allows."""
    found, allowed = [], {"group.see": 0, "group.read": 0}
    with app.app_context(), session_factory(app)() as session:
        groups = list(session.scalars(select(Group).order_by(Group.id)).unique())
        for member in everyone(session):
            for action in allowed:
                by_rule = {g.id for g in groups if access.can(session, member, action, g)}
                allowed[action] += len(by_rule)
                answers = [_set_wise(session, member, action)]
                if action == "group.read":
                    answers.append(permissions.readable_group_ids(session, member))
                if action == "group.read" and access.can(session, member, "group.read_every"):
                    # Search's "all groups" shortcut is only for who reads each one.
                    answers.append({g.id for g in groups})
                for ids in answers:
                    if ids != by_rule:
                        found.append(
                            f"{action} member {member.number} at {member.lokallag_id}: rule "
                            f"only {sorted(by_rule - ids)}, set-wise only {sorted(ids - by_rule)}"
                        )
        session.rollback()
    return found, allowed


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_see_and_read_agree_with_their_set_wise_forms_before_and_after_a_move(app, db, seed):
    build_world(db, seed)
    pairs = len(everyone(db)) * len(db.scalars(select(Group)).unique().all())
    found, allowed = disagreements(app)
    assert found == []
    # The world is mixed enough to mean something: each rule says yes and no many times.
    assert all(0.1 * pairs < n < 0.9 * pairs for n in allowed.values()), allowed

    move_members(db, seed)
    found, _allowed = disagreements(app)
    assert found == []
