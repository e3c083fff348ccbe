"""Moderators lock, pin, hide and handle reports; members see the results, never the hidden."""

from sqlalchemy import select

from innsiden.audit import AuditEntry
from tests.discussions.conftest import posts_of, reply, start_thread


def test_a_locked_thread_refuses_replies(world):
    kari, anne = world.client(world.leader), world.client(world.anne)
    thread_id, _ = start_thread(kari, world.bergen)
    assert (
        anne.post(f"/diskusjoner/traad/{thread_id}/laas", data={"locked": "ja"}).status_code == 403
    )
    assert (
        kari.post(f"/diskusjoner/traad/{thread_id}/laas", data={"locked": "ja"}).status_code == 302
    )

    api = anne.post(f"/api/v1/discussions/threads/{thread_id}/posts", json={"body": "Nei?"})
    assert api.status_code == 400
    assert "låst" in api.get_json()["detail"]
    form = anne.post(f"/diskusjoner/traad/{thread_id}/svar", data={"body": "Nei?"})
    assert form.status_code == 400
    page = anne.get(f"/diskusjoner/traad/{thread_id}").get_data(as_text=True)
    assert "Tråden er låst" in page
    assert f"/diskusjoner/traad/{thread_id}/svar" not in page  # no reply form
    assert [p["body_html"] for p in posts_of(anne, thread_id)] == ["<p>Hei!</p>"]

    kari.post(f"/diskusjoner/traad/{thread_id}/laas", data={"locked": "nei"})
    assert reply(anne, thread_id, "Nå går det") > 0


def test_a_hidden_post_is_absent_for_members_and_shown_to_moderators(world):
    kari, anne, per = (world.client(m) for m in (world.leader, world.anne, world.per))
    thread_id, _ = start_thread(kari, world.bergen)
    bad = reply(anne, thread_id, "Stygge ord om Per")
    reply(per, thread_id, "Det var ikke pent")
    response = kari.post(f"/diskusjoner/innlegg/{bad}/skjul", data={"reason": "Personangrep"})
    assert response.status_code == 302

    for client in (anne, per):
        page = client.get(f"/diskusjoner/traad/{thread_id}?siste=1").get_data(as_text=True)
        assert "Stygge ord" not in page and "Personangrep" not in page
        assert f'id="innlegg-{bad}"' not in page
        assert "Det var ikke pent" in page
        assert bad not in [p["id"] for p in posts_of(client, thread_id)]
        assert client.get(f"/diskusjoner/innlegg/{bad}").status_code == 404
        assert client.get(f"/api/v1/discussions/posts/{bad}/revisions").status_code == 404

    page = kari.get(f"/diskusjoner/traad/{thread_id}?siste=1").get_data(as_text=True)
    assert "Stygge ord om Per" in page
    assert "Skjult av moderator" in page and "Personangrep" in page
    hidden = next(p for p in posts_of(kari, thread_id) if p["id"] == bad)
    assert hidden["state"] == "hidden" and hidden["hidden_reason"] == "Personangrep"


def test_reports_reach_the_moderators_who_hide_or_dismiss_them_in_the_audit_log(world, db):
    kari, anne, per = (world.client(m) for m in (world.leader, world.anne, world.per))
    thread_id, _ = start_thread(kari, world.bergen)
    spam = reply(anne, thread_id, "Kjøp billige klokker")
    fine = reply(anne, thread_id, "Et helt greit innlegg")
    assert (
        per.post(f"/diskusjoner/innlegg/{spam}/rapporter", data={"reason": "Reklame"}).status_code
        == 302
    )
    report = per.post(f"/api/v1/discussions/posts/{fine}/reports", json={"reason": "Uenig"})
    assert report.status_code == 201

    assert per.get(f"/diskusjoner/gruppe/{world.bergen}/rapporter").status_code == 403
    listing = kari.get(f"/diskusjoner/gruppe/{world.bergen}/rapporter").get_data(as_text=True)
    assert "Reklame" in listing and "Uenig" in listing
    assert "2 åpne rapporter" in kari.get(f"/grupper/{world.bergen}").get_data(as_text=True)

    db.commit()
    from innsiden.discussions.models import Report

    reports = {r.post_id: r.id for r in db.scalars(select(Report))}
    db.commit()
    hide = kari.post(f"/diskusjoner/rapport/{reports[spam]}", data={"action": "hide", "reason": ""})
    assert hide.status_code == 302
    dismiss = kari.post(f"/diskusjoner/rapport/{reports[fine]}", data={"action": "dismiss"})
    assert dismiss.status_code == 302
    listing = kari.get(f"/diskusjoner/gruppe/{world.bergen}/rapporter").get_data(as_text=True)
    assert "Ingen åpne rapporter" in listing

    assert spam not in [p["id"] for p in posts_of(per, thread_id)]
    assert fine in [p["id"] for p in posts_of(per, thread_id)]
    db.commit()
    entries = {
        (e.action, e.target, e.actor_number)
        for e in db.scalars(select(AuditEntry).where(AuditEntry.action.like("discussions.%")))
    }
    assert ("discussions.post_hidden", f"post:{spam}", world.leader.number) in entries
    assert ("discussions.report_dismissed", f"post:{fine}", world.leader.number) in entries


def test_pinning_puts_a_thread_first_and_is_audited(world, db):
    kari, anne = world.client(world.leader), world.client(world.anne)
    old, _ = start_thread(kari, world.bergen, title="Viktig informasjon")
    start_thread(anne, world.bergen, title="Nyere prat")
    assert anne.post(f"/diskusjoner/traad/{old}/fest", data={"pinned": "ja"}).status_code == 403
    assert kari.post(f"/diskusjoner/traad/{old}/fest", data={"pinned": "ja"}).status_code == 302
    threads = anne.get(f"/api/v1/discussions/groups/{world.bergen}/threads").get_json()["threads"]
    assert [t["title"] for t in threads] == ["Viktig informasjon", "Nyere prat"]
    assert threads[0]["pinned"] is True
    db.commit()
    actions = set(db.scalars(select(AuditEntry.action).where(AuditEntry.target == f"thread:{old}")))
    assert actions == {"discussions.thread_pinned"}


def test_authors_delete_their_own_posts_softly(world):
    kari, anne = world.client(world.leader), world.client(world.anne)
    thread_id, _ = start_thread(kari, world.bergen)
    post_id = reply(anne, thread_id, "Angrer på dette")
    assert world.client(world.per).post(f"/diskusjoner/innlegg/{post_id}/slett").status_code == 403
    assert anne.post(f"/diskusjoner/innlegg/{post_id}/slett").status_code == 302
    deleted = next(p for p in posts_of(kari, thread_id) if p["id"] == post_id)
    assert deleted == {
        "id": post_id,
        "thread_id": thread_id,
        "state": "deleted",
        "created_at": deleted["created_at"],
    }
    page = kari.get(f"/diskusjoner/traad/{thread_id}?siste=1").get_data(as_text=True)
    assert "Slettet innlegg" in page and "Angrer på dette" not in page
