"""A page costs the same number of statements whatever its depth and the tree's size, and a
news page whatever the number of news items (no query per item)."""

from __future__ import annotations

from flask import Flask

from tests.content.conftest import Org, act, client_for, create
from tests.querycount import counted


def statements(app: Flask, client, path: str) -> int:
    assert client.get(path).status_code == 200
    with counted(app) as seen:
        assert client.get(path).status_code == 200
    return len(seen)


def test_pages_and_news_do_not_grow_with_depth_or_count(app: Flask, org: Org) -> None:
    leader, member = client_for(app, org.leader), client_for(app, org.bergen)
    place = org.groups["0001"]
    parent = None
    chain = []
    for depth in range(4):
        item = create(leader, place, title=f"Nivå {depth}", parent_id=parent)
        act(leader, item["id"], "publiser")
        chain.append(item["id"])
        parent = item["id"]
    first = create(leader, place, "news", title="Nyhet 0")
    act(leader, first["id"], "publiser")
    few = statements(app, member, f"/innhold/sted/{place}/nyheter")
    for n in range(1, 12):
        news = create(leader, place, "news", title=f"Nyhet {n}")
        act(leader, news["id"], "publiser")
    assert statements(app, member, f"/innhold/sted/{place}/nyheter") == few
    top, deep = (statements(app, member, f"/innhold/{i}") for i in (chain[0], chain[-1]))
    assert top == deep
