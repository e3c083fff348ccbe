"""Each "content.*" rule and its set-wise SQL form agree, for every member and every kind of
item (states, places, cascades, inheritance blocked), and Deling grants count while the
member may read the group."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from innsiden import access
from innsiden.content.models import ContentItem
from innsiden.content.permissions import editable_clause, readable_clause, reviewable_clause
from innsiden.db import session_factory
from membersync.models import Member
from tests.content.conftest import Org, act, client_for, create


def _items(app: Flask, org: Org) -> None:
    writer, leader, fylke, admin = (
        client_for(app, m) for m in (org.writer, org.leader, org.fylkesleder, org.admin)
    )
    create(writer, org.groups["0001"], title="Kladd")
    pending = create(writer, org.groups["0001"], title="Venter", inherit_roles=False)
    act(writer, pending["id"], "send")
    live = create(leader, org.groups["0001"], title="Publisert")
    act(leader, live["id"], "publiser")
    cascade = create(fylke, org.groups["F01"], "news", title="Fylke", cascade=True)
    act(fylke, cascade["id"], "publiser")
    create(fylke, org.groups["F01"], "news", title="Fylkeskladd")
    org_news = create(admin, "organisasjonen", "news", title="Org", cascade=True)
    act(admin, org_news["id"], "publiser")
    create(admin, "organisasjonen", "page", title="Orgkladd")
    oslo = create(client_for(app, org.oslo), org.groups["0301"], title="Oslo-kladd")
    act(client_for(app, org.oslo), oslo["id"], "send")


def test_rules_and_their_sql_forms_agree(app: Flask, org: Org) -> None:
    _items(app, org)
    pairs = [("content.read", readable_clause), ("content.review", reviewable_clause)]
    with app.test_request_context(), session_factory(app)() as session:
        items = session.scalars(select(ContentItem)).all()
        assert len(items) == 8
        members = session.scalars(select(Member)).all()
        for member in members:
            for action, clause in pairs:
                by_rule = {i.id for i in items if access.can(session, member, action, i)}
                by_sql = set(session.scalars(select(ContentItem.id).where(clause(session, member))))
                assert by_rule == by_sql, (member.first_name, action)
            # Role-based editing (authors aside) is a subset of what the edit rule allows.
            by_role = set(
                session.scalars(select(ContentItem.id).where(editable_clause(session, member)))
            )
            assert by_role <= {
                i.id for i in items if access.can(session, member, "content.edit", i)
            }


def test_reading_follows_the_rule_per_member(app: Flask, org: Org) -> None:
    _items(app, org)
    with app.test_request_context(), session_factory(app)() as session:

        def titles(member: Member) -> set[str]:
            fresh = session.get(Member, member.number)
            rows = session.scalars(select(ContentItem).where(readable_clause(session, fresh)))
            return {i.title for i in rows}

        assert titles(org.bergen) == {"Publisert", "Fylke", "Org"}
        assert titles(org.writer) == {"Kladd", "Venter", "Publisert", "Fylke", "Org"}
        assert titles(org.leader) == {"Kladd", "Venter", "Publisert", "Fylke", "Org"}
        # The fylkesleder reviews Bergen by inheritance, except the item that blocks it.
        assert titles(org.fylkesleder) == {"Kladd", "Publisert", "Fylke", "Fylkeskladd", "Org"}
        assert titles(org.oslo) == {"Oslo-kladd", "Org"}
