"""The pages tree: the editors' order, breadcrumbs and navigation, internal links by id that
keep working when a page is moved or renamed, and the group page's section."""

from __future__ import annotations

import re

from flask import Flask

from tests.content.conftest import Org, act, client_for, create


def page(client, place, title, parent=None, body=""):
    item = create(client, place, "page", title=title, body=body, parent_id=parent)
    act(client, item["id"], "publiser")
    return item


def test_breadcrumbs_navigation_order_and_links_surviving_moves(app: Flask, org: Org) -> None:
    leader, member = client_for(app, org.leader), client_for(app, org.bergen)
    place = org.groups["0001"]
    about = page(leader, place, "Om oss")
    tips = page(leader, place, "Nyttige tips")
    board = page(leader, place, "Styret", parent=about["id"])
    statutes = page(leader, place, "Vedtekter", parent=about["id"])
    link = page(leader, place, "Lenker", body=f"Les [vedtektene](side:{statutes['id']}).")
    html = member.get(f"/innhold/{statutes['id']}").text
    crumbs = re.search(r'class="breadcrumbs">(.*?)</nav>', html, re.S).group(1)
    assert "Om oss" in crumbs and "Vedtekter" not in crumbs
    nav = re.search(r'class="content-nav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert [t for t in re.findall(r">([^<>]+)</a>", nav)] == [
        "Om oss",
        "Styret",
        "Vedtekter",
        "Nyttige tips",
        "Lenker",
    ]
    # The link is by id: rename and move the statutes, the link still leads there.
    body = member.get(f"/api/v1/content/{link['id']}").get_json()["body_html"]
    href = re.search(r'href="([^"]+)"', body).group(1)
    assert href == f"/innhold/{statutes['id']}"
    current = leader.get(f"/api/v1/content/{statutes['id']}").get_json()
    renamed = leader.put(
        f"/api/v1/content/{statutes['id']}",
        json={"title": "Lover", "body": "", "version": current["version"]},
    )
    assert renamed.status_code == 200
    assert (
        leader.post(
            f"/innhold/{statutes['id']}/flytt", data={"forelder": tips["id"], "plass": "0"}
        ).status_code
        == 302
    )
    moved = member.get(href)
    assert moved.status_code == 200 and "Lover" in moved.text
    crumbs = re.search(r'class="breadcrumbs">(.*?)</nav>', moved.text, re.S).group(1)
    assert "Nyttige tips" in crumbs and "Om oss" not in crumbs
    # The editors' order: move "Nyttige tips" before "Om oss".
    leader.post(f"/innhold/{tips['id']}/flytt", data={"forelder": "", "plass": "0"})
    top = member.get("/api/v1/content", query_string={"place": place, "kind": "page"}).get_json()
    assert [i["title"] for i in top["items"]] == ["Nyttige tips", "Om oss", "Lenker"]
    # A page cannot be moved under itself; the board stays readable under "Om oss".
    loop = leader.post(f"/innhold/{about['id']}/flytt", data={"forelder": board["id"]})
    assert loop.status_code == 400


def test_group_page_links_to_pages_and_news(app: Flask, org: Org) -> None:
    leader = client_for(app, org.leader)
    page(leader, org.groups["0001"], "Velkommen til lokallaget")
    html = client_for(app, org.bergen).get(f"/grupper/{org.groups['0001']}").text
    assert "Velkommen til lokallaget" in html
    assert f"/innhold/sted/{org.groups['0001']}/sider" in html
    assert f"/innhold/sted/{org.groups['0001']}/nyheter" in html


def test_a_lead_picture_is_stored_and_shown_to_readers_only(app: Flask, org: Org) -> None:
    import io

    from PIL import Image

    leader = client_for(app, org.leader)
    item = create(leader, org.groups["0001"], "news", title="Med bilde", lead="Ingress")
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(picture, "PNG")
    picture.seek(0)
    upload = leader.post(
        f"/innhold/{item['id']}/bilde",
        data={"bilde": (picture, "a.png")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    assert client_for(app, org.bergen).get(f"/innhold/{item['id']}/bilde").status_code == 404
    act(leader, item["id"], "publiser")
    shown = client_for(app, org.bergen).get(f"/innhold/{item['id']}/bilde")
    assert shown.status_code == 200 and shown.mimetype == "image/png"
    assert client_for(app, org.oslo).get(f"/innhold/{item['id']}/bilde").status_code == 404
