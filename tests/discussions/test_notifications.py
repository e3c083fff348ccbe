"""Mentions and replies reach the members concerned — on the page and by e-mail — and only
while they may still see the post."""

from datetime import timedelta

from innsiden.db import session_factory
from innsiden.discussions.notify import _digest
from innsiden.groups.models import Group
from membersync.db import utcnow
from membersync.models import Member
from tests.conftest import run_jobs
from tests.discussions.conftest import posts_of, reply, start_thread


def mention(member):
    return f"@[{member.first_name}](medlem:{member.number})"


def test_a_mention_reaches_a_group_member_by_page_and_mail_and_no_outsider(world, db, outbox):
    kari = world.client(world.leader)
    body = f"Hei {mention(world.anne)} og {mention(world.outsider)}, kan dere ta referatet?"
    thread_id, post_id = start_thread(kari, world.bergen, title="Årsmøtet", body=body)
    html = posts_of(kari, thread_id)[0]["body_html"]
    assert '<a class="mention" href="/grupper/' in html and "@Anne Berg</a>" in html
    assert '<span class="mention">@Ola</span>' in html  # not in the group: not linked
    assert "Oslo" not in html  # and the portal did not reveal the outsider's full name

    run_jobs(world.app, db)

    page = world.client(world.anne).get("/varsler").get_data(as_text=True)
    assert "Kari Nordmann nevnte deg i «Årsmøtet»" in page
    # One e-mail: the mention, at once. The daily digest (due on a first run) does not tell
    # Anne again of the thread she was just mailed about, so she gets none today.
    [mail] = outbox.mails(to=world.anne.email)
    assert mail["X-Innsiden-Mail"] == "notification"
    assert mail["Subject"] == "Kari Nordmann nevnte deg i «Årsmøtet»"
    text = mail.get_body(("plain",)).get_content()
    assert f"http://localhost/diskusjoner/innlegg/{post_id}" in text
    assert "kan dere ta referatet?" in text
    assert outbox.mails(to=world.outsider.email) == []
    assert "nevnte deg" not in world.client(world.outsider).get("/varsler").get_data(as_text=True)
    # The link opens the thread at the post.
    opened = world.client(world.anne).get(f"/diskusjoner/innlegg/{post_id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"#innlegg-{post_id}")


def test_replies_reach_those_who_started_or_took_part_unless_muted(world, db, outbox):
    kari, anne, per = (world.client(m) for m in (world.leader, world.anne, world.per))
    thread_id, _ = start_thread(kari, world.bergen, title="Dugnad")
    reply(anne, thread_id, "Jeg blir med")
    run_jobs(world.app, db)
    assert [m["Subject"] for m in outbox.notifications(to=world.leader.email)] == [
        "Anne Berg svarte i «Dugnad»"
    ]
    # Nor a digest: her own new thread is no news to her, and Anne's reply was just mailed.
    assert outbox.digests(to=world.leader.email) == []
    per_had = len(outbox.mails(to=world.per.email))  # the day's digest, before he muted
    per.post(f"/grupper/{world.bergen}/varsler", data={"level": "none"})  # Per mutes the group
    kari.post(f"/grupper/{world.bergen}/varsler", data={"level": "mine"})
    reply(per, thread_id, "Jeg også")
    reply(kari, thread_id, "Flott, Per!")
    run_jobs(world.app, db)
    subjects = [m["Subject"] for m in outbox.notifications()]
    assert subjects.count("Per Dahl svarte i «Dugnad»") == 2  # Kari ("mine") and Anne
    assert outbox.mails(to=world.per.email)[per_had:] == []  # muted: nothing since


def test_a_post_hidden_before_delivery_is_never_mailed(world, db, outbox):
    kari = world.client(world.leader)
    thread_id, _ = start_thread(kari, world.bergen)
    post_id = reply(world.client(world.per), thread_id, f"Hei {mention(world.anne)}, se her")
    kari.post(f"/diskusjoner/innlegg/{post_id}/skjul", data={"reason": "Spam"})
    run_jobs(world.app, db)
    assert outbox.notifications(to=world.anne.email) == []
    # Kari's new thread may reach Anne in the day's digest, the hidden reply never.
    for mail in outbox.mails(to=world.anne.email):
        assert "se her" not in mail.get_body(("plain",)).get_content()
        assert "se her" not in mail.get_body(("html",)).get_content()


def test_the_digest_lists_new_threads_and_replies_of_the_groups(world, db):
    kari = world.client(world.leader)
    since = utcnow() - timedelta(minutes=5)
    thread_id, _ = start_thread(kari, world.bergen, title="Budsjett")
    reply(world.client(world.anne), thread_id, "Innspill")
    with world.app.app_context(), session_factory(world.app)() as session:
        member = session.get(Member, world.anne.number)
        items = _digest(session, member, [world.bergen], since)
        assert [i.title for i in items] == ["Ny tråd: Budsjett"]
        assert items[0].group_name == session.get(Group, world.bergen).name
        later = _digest(session, member, [world.bergen], utcnow() + timedelta(seconds=1))
        assert later == []
