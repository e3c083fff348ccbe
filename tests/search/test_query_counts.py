"""A page of search results costs the same statements for few hits as for many: each kind's
things are loaded in one query through the search registry, then checked again.

(The groups' rules still ask for the member's standing once per interest group on the page,
so the groups stay the same here while the hits grow.)"""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.discussions.conftest import reply, start_thread
from tests.files.helpers import PDF, upload
from tests.gatherings.conftest import create_gathering
from tests.querycount import counted


def add_content(world, group: int, start: int, count: int) -> None:
    """Per round: a thread and a reply in Bergen, a thread in the interest group, an event
    and a file, all about "hagefest"."""
    kari, anne = world.client(world.kari), world.client(world.anne)
    for n in range(start, start + count):
        thread, _opening = start_thread(kari, world.bergen, f"Hagefest {n}", "Hagefest i parken.")
        reply(anne, thread, f"Jeg tar med kake til hagefesten {n}.")
        start_thread(anne, group, f"Hagefest-ideer {n}", "Flere hagefest-ideer.")
        create_gathering(kari, world.bergen, title=f"Hagefest {n}")
        response = upload(kari, world.bergen, (f"Hagefest-{n}.pdf", PDF), description="Hagefest")
        assert response.status_code == 201, response.get_json()
    world.index()


def statements_for(world, client: FlaskClient, path: str) -> int:
    """The statements one search runs, after a warm-up request."""
    client.get(path)
    with counted(world.app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_a_full_page_of_every_kind_costs_no_more_statements_than_one_of_each(world):
    anne = world.client(world.anne)
    api, page = "/api/v1/search?q=hagefest", "/sok?q=hagefest"
    # "Hagefest" in the group's name too, so it ranks on the first page of 20 under both
    # engines' ranking (BM25 in Whoosh, ts_rank in PostgreSQL).
    group = world.interest_group(
        name="Hagefest-komiteen", description="Vi planlegger hagefest.",
        members=(world.kari, world.anne),
    )  # fmt: skip
    add_content(world, group, 0, 1)
    few = statements_for(world, anne, api), statements_for(world, anne, page)
    assert len(anne.get(api).get_json()["hits"]) == 6

    add_content(world, group, 1, 3)
    many = statements_for(world, anne, api), statements_for(world, anne, page)
    hits = anne.get(api).get_json()["hits"]
    assert len(hits) == 20
    assert {hit["kind"] for hit in hits} == {"thread", "post", "event", "file", "group"}
    assert many == few
