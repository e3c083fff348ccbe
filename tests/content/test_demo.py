"""The demo's pages and news: a believable tree in Bergen, news cascading from above, one
page waiting for Kari's approval; seeding twice adds nothing."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innsiden.content.demo import seed_content
from innsiden.content.models import ContentItem
from innsiden.db import session_factory
from innsiden.groups.anchors import location_group_ids
from tests.content.conftest import client_for
from tests.factories import make_member, make_small_organisation


def test_the_demo_has_pages_news_and_a_pending_page(app: Flask, db: Session) -> None:
    make_small_organisation(db)
    kari = make_member(db, "0001", number=100001, first_name="Kari", roles=["lokallagsleder@0001"])
    make_member(db, "0301", number=100002, first_name="Ola", roles=["sentraladmin@S"])
    voss = make_member(db, "0002", first_name="Vilde")
    db.commit()
    for _run in range(2):
        with app.test_request_context(), session_factory(app)() as session:
            seed_content(session)
            session.commit()
    db.commit()
    assert db.scalar(select(func.count(ContentItem.id))) == 11
    bergen = location_group_ids(db, ["0001"])["0001"]
    db.commit()
    kari_client = client_for(app, kari)
    page = kari_client.get(f"/grupper/{bergen}").text
    assert "Om lokallaget" in page and "Nyttige tips" in page
    news = kari_client.get(f"/innhold/sted/{bergen}/nyheter").text
    for title in ("Årsmøtet 2027 er berammet", "Takk for innsatsen på høstens stand",
                  "Ny nettside for medlemmene", "Fylkesårsmøtet i april"):  # fmt: skip
        assert title in news, title
    assert "Forslag: turkalender" in kari_client.get("/innhold/til-godkjenning").text
    voss_news = client_for(app, voss).get(
        "/api/v1/content", query_string={"place": location_group_ids(db, ["0002"])["0002"]}
    )
    titles = {i["title"] for i in voss_news.get_json()["items"]}
    assert titles == {"Ny nettside for medlemmene", "Fylkesårsmøtet i april"}
