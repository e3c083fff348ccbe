"""The statements a member's busiest pages run, pinned: the thread page, the group's thread
listing and the front page. A change that adds a query (per post, per thread, or just one
more per request) fails here and has to say why by moving the pin.

The counts are for a thread of 25 posts with quotes, reactions and pictures, and a listing of
35 threads; the same pages with more posts or threads cost the same (test_query_counts.py).
The front page's own sections (stream, coming up, waiting for me, news from above) are
counted in tests/home/test_query_counts.py, which shows they do not grow with the groups.
"""

import pytest

from tests.discussions.conftest import start_thread
from tests.discussions.test_query_counts import add_posts, add_threads
from tests.querycount import counted

# What every logged-in page does besides its own work: BEGIN (SQLite only), the member,
# their positions and the suspension check (the login loader), and the bell's unread count.
# Page by page, (SQLite, PostgreSQL):
BUDGET = {
    # + thread, the member's role in its group, read mark, the posts, older/newer,
    #   reactions, pictures, documents, quoted posts, where moved posts came from (merges)
    "thread page": (15, 14),
    # + group, the member's role in it, pinned threads, the rest
    "group listing": (9, 8),
    # + the member's groups and standings, the stream, its subjects, last-seen mark, coming
    #   up, waiting for me, leader shortcuts and news from the lokallag, fylkeslag and centre
    "front page": (23, 22),
}


def _statements(app, client, path):
    client.get(path)  # warm: the first view writes the read mark
    with counted(app) as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return [" ".join(s.split())[:160] for s in statements]


@pytest.fixture
def pages(world, db):
    kari = world.client(world.leader)
    thread_id, _ = start_thread(kari, world.bergen)
    db.commit()
    add_posts(db, thread_id, world.bergen, [world.leader, world.anne, world.per], 24)
    add_threads(db, world.bergen, world.per, 34)
    return {
        "thread page": f"/diskusjoner/traad/{thread_id}",
        "group listing": f"/diskusjoner/gruppe/{world.bergen}",
        "front page": "/",
    }


@pytest.mark.parametrize("page", list(BUDGET))
def test_a_members_page_runs_its_pinned_number_of_statements(world, db, pages, page):
    backend = 0 if db.get_bind().dialect.name == "sqlite" else 1
    statements = _statements(world.app, world.client(world.anne), pages[page])
    assert len(statements) == BUDGET[page][backend], "\n".join(statements)
