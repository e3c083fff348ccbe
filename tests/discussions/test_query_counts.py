"""The thread page and the group page cost the same statements for few posts as for many."""

from innsiden.discussions.models import Attachment, Post, Reaction, Thread
from membersync.db import utcnow
from tests.discussions.conftest import start_thread
from tests.querycount import counted


def statements_for(app, client, path):
    client.get(path)  # warm: the first view writes the read mark
    with counted(app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def add_posts(db, thread_id, group_id, authors, count):
    """`count` replies by turns, each quoting the one before, with reactions and a picture."""
    thread = db.get(Thread, thread_id)
    previous = thread.last_post_id
    for n in range(count):
        post = Post(
            thread_id=thread_id,
            group_id=group_id,
            author_number=authors[n % len(authors)].number,
            body_source=f"Svar {n}",
            body_html=f"<p>Svar {n}</p>",
            quote_of_id=previous,
            state="hidden" if n % 7 == 3 else "visible",
        )
        db.add(post)
        db.flush()
        for member in authors[: 1 + n % len(authors)]:
            db.add(Reaction(post_id=post.id, member_number=member.number, kind="tommel"))
        db.add(
            Attachment(
                post_id=post.id,
                storage_key=f"aa/bb/{post.id:032x}",
                thumb_key=f"aa/bb/{post.id:032x}",
                mime_type="image/png",
                width=10,
                height=10,
                thumb_width=10,
                thumb_height=10,
                size=1,
                filename="bilde.png",
            )
        )
        previous = thread.last_post_id = post.id
        thread.last_post_at = utcnow()
        thread.reply_count += 1
    db.commit()


def add_threads(db, group_id, author, count):
    for n in range(count):
        thread = Thread(
            group_id=group_id, title=f"Tråd {n}", author_number=author.number, pinned=n % 10 == 0
        )
        db.add(thread)
        db.flush()
        post = Post(
            thread_id=thread.id,
            group_id=group_id,
            author_number=author.number,
            body_source="x",
            body_html="<p>x</p>",
        )
        db.add(post)
        db.flush()
        thread.last_post_id = post.id
    db.commit()


def test_the_thread_page_does_not_grow_with_its_posts(world, db):
    kari = world.client(world.leader)
    thread_id, _ = start_thread(kari, world.bergen)
    authors = [world.leader, world.anne, world.per]
    db.commit()
    add_posts(db, thread_id, world.bergen, authors, 4)
    paths = [f"/diskusjoner/traad/{thread_id}?fra=1", f"/api/v1/discussions/threads/{thread_id}"]
    for viewer in (kari, world.client(world.anne)):  # a moderator and a member
        few = [statements_for(world.app, viewer, path) for path in paths]
        add_posts(db, thread_id, world.bergen, authors, 60)
        many = [statements_for(world.app, viewer, path) for path in paths]
        assert many == few
        assert max(many) <= 25  # login, access checks, then a fixed handful


def test_the_group_page_does_not_grow_with_its_threads(world, db):
    anne = world.client(world.anne)
    db.commit()
    add_threads(db, world.bergen, world.leader, 3)
    paths = [
        f"/grupper/{world.bergen}",
        f"/diskusjoner/gruppe/{world.bergen}",
        f"/api/v1/discussions/groups/{world.bergen}/threads",
        "/grupper/mine",
    ]
    few = [statements_for(world.app, anne, path) for path in paths]
    add_threads(db, world.bergen, world.anne, 45)
    many = [statements_for(world.app, anne, path) for path in paths]
    assert many == few
    # The group's front page also holds other capabilities' sections; ours stay small.
    assert max(many[1:3]) <= 20
