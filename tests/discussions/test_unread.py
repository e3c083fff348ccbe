"""Each member's unread state per thread: group pages and "Mine grupper" show what is new,
and a thread opens at the first post the member has not seen."""

from tests.discussions.conftest import reply, start_thread


def unread_in_my_groups(client):
    groups = client.get("/api/v1/groups?mine=1").get_json()["groups"]
    return {g["name"]: g["unread"] for g in groups}


def test_new_posts_show_as_unread_until_the_member_has_seen_them(world):
    kari, anne = world.client(world.leader), world.client(world.anne)
    thread_id, first = start_thread(kari, world.bergen, title="Dugnad")
    assert unread_in_my_groups(anne)["Bergen lokallag"] == 1
    assert unread_in_my_groups(kari)["Bergen lokallag"] == 0  # her own post

    assert anne.get(f"/diskusjoner/traad/{thread_id}").status_code == 200
    assert unread_in_my_groups(anne)["Bergen lokallag"] == 0

    second = reply(kari, thread_id, "Husk hansker")
    reply(world.client(world.per), thread_id, "Jeg tar med kaffe")
    assert unread_in_my_groups(anne)["Bergen lokallag"] == 1
    listing = anne.get(f"/grupper/{world.bergen}").get_data(as_text=True)
    link = f"/diskusjoner/traad/{thread_id}?fra={first + 1}#ulest"
    assert link in listing and "Nytt" in listing
    assert anne.get("/grupper/mine").get_data(as_text=True).count("uleste") >= 1

    # The bare thread address opens at the first unread post.
    opened = anne.get(f"/diskusjoner/traad/{thread_id}")
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(f"?fra={second}#innlegg-{second}")
    page = anne.get(opened.headers["Location"]).get_data(as_text=True)
    assert page.index('id="ulest"') < page.index(f'id="innlegg-{second}"')
    assert "Husk hansker" in page and "Jeg tar med kaffe" in page
    assert unread_in_my_groups(anne)["Bergen lokallag"] == 0

    # Fully read: the thread opens at its newest posts, without a redirect.
    again = anne.get(f"/diskusjoner/traad/{thread_id}")
    assert again.status_code == 200
    assert 'id="ulest"' not in again.get_data(as_text=True)


def test_a_hidden_reply_does_not_leave_members_on_a_missing_post(world):
    kari, anne = world.client(world.leader), world.client(world.anne)
    thread_id, _ = start_thread(kari, world.bergen)
    anne.get(f"/diskusjoner/traad/{thread_id}")
    hidden = reply(world.client(world.per), thread_id, "Skjules")
    kari.post(f"/diskusjoner/innlegg/{hidden}/skjul", data={"reason": "Feil tråd"})
    visible = reply(kari, thread_id, "Synlig")
    opened = anne.get(f"/diskusjoner/traad/{thread_id}")
    assert opened.headers["Location"].endswith(f"#innlegg-{visible}")


def test_marking_a_group_read(world):
    kari, anne = world.client(world.leader), world.client(world.anne)
    for title in ("Første", "Andre", "Tredje"):
        start_thread(kari, world.bergen, title=title)
    assert unread_in_my_groups(anne)["Bergen lokallag"] == 3
    assert anne.post(f"/diskusjoner/gruppe/{world.bergen}/merk-lest").status_code == 302
    assert unread_in_my_groups(anne)["Bergen lokallag"] == 0
