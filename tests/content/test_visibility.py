"""Who sees what, everywhere: cascading news in exactly the groups below (following the
register when a member moves), and drafts, pending and expired items absent from search,
the API and notifications for anyone who may not edit or review them."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from innsiden.content.models import ContentItem
from innsiden.search import get_engine
from membersync.db import utcnow
from membersync.models import Member
from tests.conftest import run_jobs
from tests.content.conftest import Org, act, client_for, create, publish


def news_titles(client, place) -> list[str]:
    response = client.get("/api/v1/content", query_string={"place": place, "kind": "news"})
    assert response.status_code == 200
    return [item["title"] for item in response.get_json()["items"]]


def test_fylkeslag_news_for_everyone_below_reaches_exactly_its_lokallag(
    app: Flask, db: Session, org: Org
) -> None:
    fylke = client_for(app, org.fylkesleder)
    publish(app, fylke, org.groups["F01"], title="Fylkesårsmøtet", cascade=True)
    publish(app, fylke, org.groups["F01"], title="Bare for fylkesstyret")
    bergen, voss, oslo = (client_for(app, m) for m in (org.bergen, org.voss, org.oslo))
    assert news_titles(bergen, org.groups["0001"]) == ["Fylkesårsmøtet"]
    assert news_titles(voss, org.groups["0002"]) == ["Fylkesårsmøtet"]
    assert news_titles(client_for(app, org.oslo), org.groups["0301"]) == []
    assert "Fylkesårsmøtet" in bergen.get(f"/grupper/{org.groups['0001']}").text
    assert "Fylkesårsmøtet" not in oslo.get(f"/grupper/{org.groups['0301']}").text
    # The register moves the Bergen member to Oslo: Vestland's news goes, Oslo's comes.
    publish(app, client_for(app, org.admin), org.groups["F02"], title="Oslo-nytt", cascade=True)
    db.execute(update(Member).where(Member.number == org.bergen.number).values(lokallag_id="0301"))
    db.commit()
    moved = client_for(app, org.bergen)
    assert news_titles(moved, org.groups["0301"]) == ["Oslo-nytt"]
    assert (
        moved.get("/api/v1/content", query_string={"place": org.groups["0001"]}).status_code == 404
    )
    fylke_item = news_titles(client_for(app, org.voss), org.groups["0002"])
    assert fylke_item == ["Fylkesårsmøtet"]


def test_organisation_news_cascades_to_every_lokallag(app: Flask, org: Org) -> None:
    publish(app, client_for(app, org.admin), "organisasjonen", title="Ny portal", cascade=True)
    for member, unit in ((org.bergen, "0001"), (org.oslo, "0301"), (org.voss, "0002")):
        assert news_titles(client_for(app, member), org.groups[unit]) == ["Ny portal"]
    # Only editors of the organisation may write there.
    response = client_for(app, org.bergen).post(
        "/api/v1/content", json={"place": "organisasjonen", "kind": "news", "title": "x"}
    )
    assert response.status_code == 403


def search_ids(client, q: str) -> set[str]:
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 200
    return {hit["id"] for hit in response.get_json()["hits"]}


def notification_subjects(client) -> list[str]:
    return [n["url"] for n in client.get("/api/v1/notifications").get_json()["notifications"]]


def test_draft_pending_and_expired_are_absent_for_non_editors(
    app: Flask, db: Session, org: Org
) -> None:
    writer, leader, member = (client_for(app, m) for m in (org.writer, org.leader, org.bergen))
    place = org.groups["0001"]
    draft = create(writer, place, "news", title="Kladd", body="hemmeligkladd")
    pending = create(writer, place, "news", title="Venter", body="hemmeligventer")
    act(writer, pending["id"], "send")
    expired = publish(app, leader, place, title="Gammel", body="hemmeliggammel")
    live = publish(app, leader, place, title="Synlig", body="offentligsynlig")
    run_jobs(app, db)
    assert search_ids(member, "offentligsynlig") == {f"news:{live['id']}"}
    assert search_ids(member, "hemmeliggammel") == {f"news:{expired['id']}"}
    db.execute(update(ContentItem).where(ContentItem.id == expired["id"])
               .values(expire_at=utcnow() - timedelta(seconds=1)))  # fmt: skip
    db.commit()
    run_jobs(app, db)
    for word in ("hemmeligkladd", "hemmeligventer", "hemmeliggammel"):
        assert search_ids(member, word) == set()
    for item in (draft, pending, expired):
        assert member.get(f"/api/v1/content/{item['id']}").status_code == 404
    assert news_titles(member, place) == ["Synlig"]
    # Notifications: the member was told of the news that went live, never of the others;
    # the expired one is withheld now; the reviewer was told of the pending item.
    urls = notification_subjects(member)
    assert f"/innhold/{live['id']}" in urls
    assert not {f"/innhold/{i['id']}" for i in (draft, pending, expired)} & set(urls)
    assert f"/innhold/{pending['id']}" in notification_subjects(leader)
    get_engine(app).close()


def test_authors_hear_of_approval_and_rejection(app: Flask, db: Session, org: Org) -> None:
    writer, leader = client_for(app, org.writer), client_for(app, org.leader)
    first = create(writer, org.groups["0001"], title="Første")
    second = create(writer, org.groups["0001"], title="Andre")
    for item in (first, second):
        act(writer, item["id"], "send")
    act(leader, first["id"], "godkjenn")
    act(leader, second["id"], "avvis", "For kort.")
    run_jobs(app, db)
    told = {n["title"]: n for n in writer.get("/api/v1/notifications").get_json()["notifications"]}
    assert "Godkjent og publisert: Første" in told
    assert told["Avvist: Andre"]["excerpt"] == "For kort."
    get_engine(app).close()


def test_news_notifications_follow_group_settings(app: Flask, db: Session, org: Org) -> None:
    from innsiden.groups.models import GroupSubscription

    db.add(GroupSubscription(member_number=org.bergen.number, group_id=org.groups["0001"],
                             level="mine"))  # fmt: skip
    db.commit()
    leader = client_for(app, org.leader)
    news = publish(app, leader, org.groups["0001"], title="Dugnad lørdag")
    run_jobs(app, db)
    url = f"/innhold/{news['id']}"
    assert url in notification_subjects(client_for(app, org.writer))
    assert url not in notification_subjects(client_for(app, org.bergen))
    assert url not in notification_subjects(client_for(app, org.voss))
    get_engine(app).close()
