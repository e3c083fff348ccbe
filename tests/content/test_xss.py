"""The XSS corpus in titles, leads and bodies stays inert in every page and the API."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask import Flask

from tests.content.conftest import Org, act, client_for, create
from tests.sanitize.test_sanitize import DANGEROUS_TAGS, MARKDOWN_ATTACKS

ATTACKS = list(MARKDOWN_ATTACKS.items())


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


# The portal's own pages hold forms and buttons; member text never produces them.
PORTAL_TAGS = {"form", "input", "button", "img"}


def _inert(html: str) -> None:
    """No element member text could have made dangerous: no script-like tags, no event
    handler attributes, no javascript:/data:/vbscript: links, no member-made images."""
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.found:
        if tag in ("script", "meta") and (attrs.get("src") or "").startswith("/static/"):
            continue  # the portal's own scripts
        if tag == "meta" and "http-equiv" not in attrs:
            continue  # the portal's charset and viewport
        assert tag not in DANGEROUS_TAGS - PORTAL_TAGS, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src", "action"):
            value = re.sub(r"[\x00-\x20]+", "", attrs.get(name) or "").lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
        if tag == "img":
            assert attrs.get("class") == "lead-picture"


@pytest.mark.parametrize("name,attack", ATTACKS, ids=[n for n, _a in ATTACKS])
def test_attacks_in_title_lead_and_body_stay_inert(
    app: Flask, org: Org, name: str, attack: str
) -> None:
    leader = client_for(app, org.leader)
    place = org.groups["0001"]
    item = create(leader, place, "news", title=attack[:200], lead=attack, body=attack)
    act(leader, item["id"], "publiser")
    member = client_for(app, org.bergen)
    for url in (f"/innhold/{item['id']}", f"/innhold/sted/{place}/nyheter",
                f"/grupper/{place}", f"/innhold/{item['id']}/versjoner"):  # fmt: skip
        response = (leader if "versjoner" in url else member).get(url)
        assert response.status_code == 200, url
        _inert(response.text)
    api = member.get(f"/api/v1/content/{item['id']}").get_json()
    _inert(api["body_html"])
