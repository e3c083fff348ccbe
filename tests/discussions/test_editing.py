"""Edits keep their history visible; only the author edits; reactions are one per kind."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from innsiden.discussions.models import Reaction
from tests.discussions.conftest import posts_of, reply, start_thread


def test_an_edit_keeps_the_previous_version_in_a_visible_history(world):
    kari, anne = world.client(world.leader), world.client(world.anne)
    thread_id, _ = start_thread(kari, world.bergen)
    post_id = reply(anne, thread_id, "Møtet er kl. 18")
    form = anne.get(f"/diskusjoner/innlegg/{post_id}/rediger").get_data(as_text=True)
    assert "Møtet er kl. 18</textarea>" in form  # the Markdown source, for editing
    response = anne.post(
        f"/diskusjoner/innlegg/{post_id}/rediger", data={"body": "Møtet er kl. **19**"}
    )
    assert response.status_code == 302

    page = kari.get(f"/diskusjoner/traad/{thread_id}?siste=1").get_data(as_text=True)
    assert "Møtet er kl. <strong>19</strong>" in page
    assert f"/diskusjoner/innlegg/{post_id}/historikk" in page and "redigert" in page
    history = kari.get(f"/diskusjoner/innlegg/{post_id}/historikk").get_data(as_text=True)
    assert "Møtet er kl. 18" in history and "Møtet er kl. <strong>19</strong>" in history
    revisions = kari.get(f"/api/v1/discussions/posts/{post_id}/revisions").get_json()["revisions"]
    assert [r["body_html"] for r in revisions] == ["<p>Møtet er kl. 18</p>"]
    edited = next(p for p in posts_of(kari, thread_id) if p["id"] == post_id)
    assert edited["edit_count"] == 1 and edited["edited_at"]
    assert "body" not in edited  # the source goes to its author only


def test_only_the_author_edits(world):
    kari, anne = world.client(world.leader), world.client(world.anne)
    thread_id, _ = start_thread(kari, world.bergen)
    post_id = reply(anne, thread_id, "Mitt")
    assert kari.get(f"/diskusjoner/innlegg/{post_id}/rediger").status_code == 403
    response = kari.patch(f"/api/v1/discussions/posts/{post_id}", json={"body": "Endret"})
    assert response.status_code == 403
    assert posts_of(kari, thread_id)[1]["body_html"] == "<p>Mitt</p>"


def test_the_opening_post_edit_can_rename_the_thread(world):
    kari = world.client(world.leader)
    thread_id, post_id = start_thread(kari, world.bergen, title="Skrivefeil")
    response = kari.post(
        f"/diskusjoner/innlegg/{post_id}/rediger", data={"title": "Rettet tittel", "body": "Hei!"}
    )
    assert response.status_code == 302
    assert "Rettet tittel" in kari.get(f"/diskusjoner/traad/{thread_id}").get_data(as_text=True)


def test_reactions_are_one_per_member_post_and_kind(world, db):
    kari, anne = world.client(world.leader), world.client(world.anne)
    thread_id, post_id = start_thread(kari, world.bergen)
    for _ in range(2):
        assert anne.put(f"/api/v1/discussions/posts/{post_id}/reactions/feiring").status_code == 200
    answer = kari.put(f"/api/v1/discussions/posts/{post_id}/reactions/feiring").get_json()
    assert answer["reactions"] == [{"kind": "feiring", "count": 2, "mine": True}]
    assert anne.put(f"/api/v1/discussions/posts/{post_id}/reactions/sint").status_code == 400
    # The page's button toggles.
    anne.post(f"/diskusjoner/innlegg/{post_id}/reaksjon", data={"kind": "feiring"})
    assert posts_of(kari, thread_id)[0]["reactions"] == [
        {"kind": "feiring", "count": 1, "mine": True}
    ]
    db.commit()
    assert db.scalar(select(func.count()).select_from(Reaction)) == 1
    db.add(Reaction(post_id=post_id, member_number=world.leader.number, kind="feiring"))
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()
