"""Who may see an event: the rule ("gathering.see") and its set-wise form, which calendars
use, agree for every member and event of a generated organisation, before and after the
register moves members around; a group's calendar shows exactly the events the rule shows."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from innsiden import access
from innsiden.db import session_factory
from innsiden.gatherings import listing, permissions
from innsiden.gatherings.models import Gathering
from innsiden.groups.models import Group
from tests.groups.rule_world import build_world, everyone, move_members


def disagreements(app: Flask) -> tuple[list[str], int]:
    found, allowed = [], 0
    with app.app_context(), session_factory(app)() as session:
        gatherings = list(session.scalars(select(Gathering).order_by(Gathering.id)).unique())
        groups = list(session.scalars(select(Group).order_by(Group.id)).unique())
        for member in everyone(session):
            by_rule = {g.id for g in gatherings if access.can(session, member, "gathering.see", g)}
            allowed += len(by_rule)
            clause = permissions.visible_clause(session, member)
            set_wise = set(session.scalars(select(Gathering.id).where(clause)))
            if set_wise != by_rule:
                found.append(
                    f"member {member.number} at {member.lokallag_id}: rule only "
                    f"{sorted(by_rule - set_wise)}, set-wise only {sorted(set_wise - by_rule)}"
                )
            for group in groups:
                calendar = set(
                    session.scalars(
                        listing.of_group(session, member, group).with_only_columns(Gathering.id)
                    )
                )
                expected = {g.id for g in gatherings if g.group_id == group.id and g.id in by_rule}
                if calendar != expected:
                    found.append(f"calendar of group {group.id} for member {member.number}")
        session.rollback()
    return found, allowed


@pytest.mark.parametrize("seed", [1])
def test_event_visibility_agrees_with_its_set_wise_form_before_and_after_a_move(app, db, seed):
    build_world(db, seed)
    pairs = len(everyone(db)) * len(db.scalars(select(Gathering)).unique().all())
    found, allowed = disagreements(app)
    assert found == []
    assert 0.1 * pairs < allowed < 0.9 * pairs, (allowed, pairs)

    move_members(db, seed)
    found, _allowed = disagreements(app)
    assert found == []
