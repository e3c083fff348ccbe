"""Long threads come in keyset pages of 50 posts, with links older, newer and to the newest."""

from tests.discussions.conftest import posts_of, start_thread
from tests.discussions.test_query_counts import add_posts


def post_ids(page):
    return [int(part.split('"', 1)[0]) for part in page.split('data-post-id="')[1:]]


def test_a_long_thread_pages_by_fifty_with_a_link_to_the_newest(world, db):
    anne = world.client(world.anne)
    thread_id, first = start_thread(world.client(world.leader), world.bergen)
    db.commit()
    add_posts(db, thread_id, world.bergen, [world.leader, world.per], 119)  # some hidden

    first_page = anne.get(f"/diskusjoner/traad/{thread_id}?fra=0").get_data(as_text=True)
    ids = post_ids(first_page)
    assert len(ids) == 50 and ids[0] == first and ids == sorted(ids)
    assert f"?fra={ids[-1] + 1}" in first_page and "siste=1" in first_page
    assert "Eldre innlegg" not in first_page

    second = anne.get(f"/diskusjoner/traad/{thread_id}?fra={ids[-1] + 1}").get_data(as_text=True)
    second_ids = post_ids(second)
    assert len(second_ids) == 50 and second_ids[0] > ids[-1]
    assert f"foer={second_ids[0]}" in second  # back to the page before

    newest = anne.get(f"/diskusjoner/traad/{thread_id}?siste=1").get_data(as_text=True)
    newest_ids = post_ids(newest)
    visible = [p["id"] for p in posts_of(anne, thread_id)]  # the API's first 50
    assert newest_ids[-1] > visible[-1] and len(newest_ids) == 50
    assert "Nyere innlegg" not in newest and "Eldre innlegg" in newest

    older = anne.get(f"/diskusjoner/traad/{thread_id}?foer={newest_ids[0]}").get_data(as_text=True)
    assert post_ids(older)[-1] < newest_ids[0] and len(post_ids(older)) == 50


def test_the_api_pages_with_a_cursor(world, db):
    anne = world.client(world.anne)
    thread_id, _ = start_thread(world.client(world.leader), world.bergen)
    db.commit()
    add_posts(db, thread_id, world.bergen, [world.leader], 60)
    page = anne.get(f"/api/v1/discussions/threads/{thread_id}").get_json()
    assert len(page["posts"]) == 50 and page["next"] == page["posts"][-1]["id"]
    rest = anne.get(f"/api/v1/discussions/threads/{thread_id}?cursor={page['next']}").get_json()
    assert rest["next"] is None
    assert all(p["state"] != "hidden" for p in page["posts"] + rest["posts"])
    hidden = sum(1 for n in range(60) if n % 7 == 3)  # as add_posts hides them
    assert len(page["posts"]) + len(rest["posts"]) == 1 + 60 - hidden
