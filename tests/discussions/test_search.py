"""Threads and replies are found by the members of their group, and leave the index when
hidden or deleted."""

from innsiden.search import get_engine
from innsiden.search.engine import SearchQuery
from tests.conftest import run_jobs
from tests.discussions.conftest import reply, start_thread


def found(world, text, group_id):
    query = SearchQuery(text, {f"group:{group_id}"})
    return {hit.id for hit in get_engine(world.app).search(query).hits}


def test_threads_and_replies_are_indexed_and_leave_when_hidden_or_deleted(world, db):
    kari, anne = world.client(world.leader), world.client(world.anne)
    thread_id, _ = start_thread(kari, world.bergen, title="Dugnad i parken", body="Ta med river")
    kept = reply(anne, thread_id, "Jeg tar med kaffetrakter")
    hidden = reply(anne, thread_id, "Kaffetrakter er tull")
    run_jobs(world.app, db)
    assert found(world, "dugnad", world.bergen) >= {f"thread:{thread_id}"}
    assert found(world, "kaffetrakter", world.bergen) == {f"post:{kept}", f"post:{hidden}"}
    assert found(world, "kaffetrakter", world.oslo) == set()  # another group's audience

    kari.post(f"/diskusjoner/innlegg/{hidden}/skjul", data={"reason": "Spam"})
    anne.post(f"/diskusjoner/innlegg/{kept}/slett")
    run_jobs(world.app, db)
    assert found(world, "kaffetrakter", world.bergen) == set()
    assert found(world, "river", world.bergen) == {f"thread:{thread_id}"}
