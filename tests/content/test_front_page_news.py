"""News from above on the member's front page: their lokallag's, their fylkeslag's and the
organisation's published news, and nothing from another fylkeslag or still in draft."""

from __future__ import annotations

from flask import Flask

from tests.content.conftest import Org, act, client_for, create, publish


def test_the_front_page_shows_news_from_the_members_own_places(app: Flask, org: Org) -> None:
    fylke = client_for(app, org.fylkesleder)
    publish(app, fylke, org.groups["F01"], title="Fylkesårsmøtet i Vestland")
    publish(app, client_for(app, org.admin), "organisasjonen", title="Ny portal for alle")
    publish(app, client_for(app, org.admin), org.groups["F02"], title="Oslo-nytt")
    leader = client_for(app, org.leader)
    publish(app, leader, org.groups["0001"], title="Dugnad i Bergen")
    draft = create(leader, org.groups["0001"], "news", title="Utkast som venter")
    assert act(leader, draft["id"], "send_til_godkjenning").status_code in {200, 400, 404}

    page = client_for(app, org.bergen).get("/").get_data(as_text=True)
    assert "Fylkesårsmøtet i Vestland" in page
    assert "Ny portal for alle" in page
    assert "Dugnad i Bergen" in page
    assert "Oslo-nytt" not in page
    assert "Utkast som venter" not in page

    oslo_page = client_for(app, org.oslo).get("/").get_data(as_text=True)
    assert "Oslo-nytt" in oslo_page
    assert "Fylkesårsmøtet i Vestland" not in oslo_page
    assert "Dugnad i Bergen" not in oslo_page
