"""The front page's activity stream: what happened in the member's groups, and nothing else."""

from __future__ import annotations

from innsiden.home.models import StreamEntry
from tests.discussions.conftest import reply, start_thread
from tests.home.conftest import front_page, headlines, stream


def test_a_reply_in_the_lokallag_shows_and_one_in_a_hidden_group_never_does(home):
    thread_id, _ = start_thread(home.client(home.per), home.bergen, title="Budsjett 2027")
    reply(home.client(home.per), thread_id, "Jeg foreslår mer til valgkampen.")
    secret, _ = start_thread(home.client(home.ola), home.hidden, title="Hemmelig sak")
    reply(home.client(home.ola), secret, "Ikke for alle.")
    home.run_jobs()

    kari = home.client(home.kari)
    assert headlines(kari) == ["Nytt svar i «Budsjett 2027»", "Ny tråd: «Budsjett 2027»"]
    page = front_page(kari)
    assert "Nytt svar i «Budsjett 2027»" in page
    assert "Hemmelig" not in page
    assert headlines(home.client(home.ola)) == [
        "Nytt svar i «Hemmelig sak»",
        "Ny tråd: «Hemmelig sak»",
    ]


def test_replies_to_one_thread_are_grouped_with_who_wrote_them(home):
    thread_id, _ = start_thread(home.client(home.kari), home.bergen, title="Budsjett 2027")
    for body in ("En", "To"):
        reply(home.client(home.per), thread_id, body)
    reply(home.client(home.kari), thread_id, "Tre")
    home.run_jobs()

    [replies, opening] = stream(home.client(home.per))["entries"]
    assert replies["headline"] == "3 nye svar i «Budsjett 2027»"
    assert replies["actors"] == ["Kari Nordmann", "Per Dahl"]
    assert replies["group"]["name"] == "Bergen lokallag"
    assert opening["headline"] == "Ny tråd: «Budsjett 2027»"
    # The grouped entry opens at the first of the replies.
    assert replies["url"].startswith("/diskusjoner/innlegg/")


def test_a_hidden_post_leaves_the_stream_at_once(home):
    thread_id, _ = start_thread(home.client(home.kari), home.bergen, title="Årsmøtet")
    post_id = reply(home.client(home.per), thread_id, "Noe upassende")
    home.run_jobs()
    assert "Nytt svar i «Årsmøtet»" in headlines(home.client(home.per))

    response = home.client(home.kari).post(
        f"/diskusjoner/innlegg/{post_id}/skjul", data={"reason": "Upassende"}
    )
    assert response.status_code == 302
    # No job has run: the page checks every entry when it shows it.
    assert headlines(home.client(home.per)) == ["Ny tråd: «Årsmøtet»"]


def test_a_move_to_another_lokallag_swaps_the_entries_at_once(home):
    start_thread(home.client(home.kari), home.bergen, title="Bergenssak")
    start_thread(home.client(home.ola), home.oslo, title="Oslosak")
    home.run_jobs()
    per = home.client(home.per)
    assert headlines(per) == ["Ny tråd: «Bergenssak»"]

    home.db.get(type(home.per), home.per.number).lokallag_id = "0301"  # as a sync would
    home.db.commit()
    assert headlines(per) == ["Ny tråd: «Oslosak»"]


def test_filters_by_group_and_kind_and_pages_with_a_cursor(home, monkeypatch):
    from innsiden.home import feed

    monkeypatch.setattr(feed, "PAGE_ROWS", 3)
    for n in range(5):
        start_thread(home.client(home.kari), home.bergen, title=f"Tråd {n}")
    home.run_jobs()
    per = home.client(home.per)
    first = stream(per)
    assert [e["title"] for e in first["entries"]] == ["Tråd 4", "Tråd 3", "Tråd 2"]
    second = stream(per, before=first["next"])
    assert [e["title"] for e in second["entries"]] == ["Tråd 1", "Tråd 0"]
    assert second["next"] is None
    assert stream(per, kind="filer")["entries"] == []
    assert len(stream(per, kind="diskusjoner", group=home.bergen)["entries"]) == 3
    assert stream(per, group=home.hidden)["entries"] == []  # not theirs: nothing, not an error
    assert per.get("/api/v1/home/stream?kind=tull").status_code == 400
    # Without JavaScript: "Vis eldre" is a link to the next page.
    assert f"for={first['next']}" in front_page(per)


def test_unread_marks_clear_once_the_front_page_was_seen(home):
    start_thread(home.client(home.kari), home.bergen, title="Første")
    home.run_jobs()
    per = home.client(home.per)
    front_page(per)  # the first visit: nothing is marked, everything is now seen
    start_thread(home.client(home.kari), home.bergen, title="Andre")
    home.run_jobs()

    assert [(e["title"], e["unread"]) for e in stream(per)["entries"]] == [
        ("Andre", True),
        ("Første", False),
    ]
    assert "is-unread" in front_page(per)
    assert "is-unread" not in front_page(per)


def test_the_consumer_adds_each_event_once_and_skips_attachments(home):
    start_thread(home.client(home.kari), home.bergen, title="Første sak")
    home.run_jobs()
    home.run_jobs()
    assert home.db.query(StreamEntry).count() == 1


def test_an_empty_front_page_explains_the_members_groups(home):
    page = front_page(home.client(home.per))
    assert "Bergen lokallag" in page
    assert "fordi medlemsregisteret sier at du hører til her" in page
    assert "Finn interessegrupper" in page
    assert "slå på e-postvarsler" in page
