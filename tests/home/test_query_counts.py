"""The front page costs the same number of statements for a member of 3 groups as of 23,
and the batched standings give the same answers as asking group by group."""

from __future__ import annotations

import pytest

from innsiden import access
from innsiden.db import session_factory
from innsiden.groups import permissions as group_rules
from innsiden.groups import service as groups
from innsiden.groups.listing import prime_standings
from innsiden.groups.models import Group
from membersync.models import Member
from tests.discussions.conftest import reply, start_thread
from tests.gatherings.conftest import create_gathering
from tests.groups.helpers import make_interest_group
from tests.home.conftest import front_page
from tests.polls.conftest import create_poll
from tests.querycount import counted


def _grow(home, start: int, count: int) -> None:
    for n in range(start, start + count):
        group = make_interest_group(
            home.db, f"Gruppe {n}", ("open", "closed", "hidden")[n % 3],
            admin=home.ola, members=[home.per],
        )  # fmt: skip
        home.db.commit()
        thread_id, _ = start_thread(home.client(home.ola), group.id, title=f"Sak nummer {n}")
        reply(home.client(home.per), thread_id, "Enig!")
        create_gathering(home.client(home.ola), group.id, title=f"Møte {n}")
        create_poll(home.app, home.ola, group.id, question=f"Spørsmål {n}?")
    home.run_jobs()


def _statements(home, path: str) -> int:
    client = home.client(home.per)
    front_page(client)  # the first look anchors groups and writes the first "seen" mark
    # The header's bell checks each unread notification: not the front page's own cost.
    assert client.post("/api/v1/notifications/read-all").status_code == 200
    with counted(home.app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_the_front_page_does_not_grow_with_the_members_groups(home):
    _grow(home, 0, 1)
    paths = ["/", "/forsiden/aktivitet", "/api/v1/home/stream"]
    few = {path: _statements(home, path) for path in paths}
    _grow(home, 1, 20)
    many = {path: _statements(home, path) for path in paths}
    assert many == few
    # A fixed budget: the stream, coming up, waiting for me, and news from the member's
    # lokallag, fylkeslag and the organisation (content) — none of it grows with the groups.
    assert many["/"] <= 40


@pytest.mark.parametrize("role", ["member", "leader", "outsider"])
def test_batched_standings_agree_with_the_rule_one_group_at_a_time(home, role):
    open_group = make_interest_group(home.db, "Åpen", "open", admin=home.ola, members=[home.per])
    make_interest_group(home.db, "Lukket", "closed", admin=home.kari)
    home.db.commit()
    who = {"member": home.per, "leader": home.kari, "outsider": home.ola}[role]
    actions = ["group.read", "group.post", "group.moderate", "group.administer", "group.see"]
    with home.app.test_request_context(), session_factory(home.app)() as session:
        member = session.get(Member, who.number)
        every = list(session.query(Group))
        group_rules.readable_group_ids(session, member)  # anchors, like a page would
        one_by_one = {(g.id, a): access.can(session, member, a, g) for g in every for a in actions}
        expected = {g.id: groups.standing(session, member, g) for g in every}
        session.info.clear()
        prime_standings(session, member, every)
        assert {g.id: groups.standing(session, member, g) for g in every} == expected
        batched = {(g.id, a): access.can(session, member, a, g) for g in every for a in actions}
        assert batched == one_by_one
    assert open_group.id
