"""Every page a member reaches speaks one language: the one they chose, whole.

A crawl as the demo's leader (Kari) and administrator (Ola) in each language follows every link
the portal shows and looks for texts that only another language's catalog has."""

from __future__ import annotations

import html
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import login_as
from tests.i18n.catalogs import LANGUAGES, telltale_phrases
from tests.i18n.demo import seed_demo

MAX_PAGES = 90  # per member and language: every kind of page, not every thread
SKIP = (
    "/static/",
    "/logg-ut",
    "/avmeld/",
    "/api/",
    ".ics",
    ".csv",
    ".xlsx",
    "/last-ned",
    "mailto:",
    "tel:",
)
# Pages a form leads to rather than a link: search, and the administrators' pages.
SEEDS = ("/", "/sok?q=m%C3%B8te", "/admin/", "/varsler/innstillinger", "/finnes-ikke")
HREF = re.compile(r'href="([^"#]+)')


def _text(page: str) -> str:
    """What a reader meets: visible text and the attributes screen readers and dialogs read."""
    attributes = " ".join(
        re.findall(
            r'(?:title|placeholder|aria-label|data-confirm|data-[\w-]*-text)="([^"]*)"', page
        )
    )
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    # Text marked as written in another language (the API reference's descriptions, taken
    # from the code in English) is not a page mixing languages.
    body = re.sub(r'<(p|td|span)\b[^>]*\blang="[a-z]{2}"[^>]*>.*?</\1>', " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body) + " " + attributes)


def _pattern_key(path: str) -> str:
    # /grupper/12/tråder/7 and /grupper/13/tråder/9 are the same kind of page: visit a few.
    return re.sub(r"\d+", "N", urlsplit(path).path)


def crawl(client) -> dict[str, str]:
    seen: dict[str, str] = {}
    per_kind: dict[str, int] = {}
    queue = deque(SEEDS)
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        kind = _pattern_key(path)
        if per_kind.get(kind, 0) >= 2:
            continue
        per_kind[kind] = per_kind.get(kind, 0) + 1
        response = client.get(path)
        if 300 <= response.status_code < 400:  # Werkzeug's redirect page is never seen: follow
            seen[path] = ""
            queue.append(response.headers["Location"].split("#")[0])
            continue
        if "text/html" not in response.content_type:
            seen[path] = ""
            continue
        page = response.get_data(as_text=True)
        seen[path] = page
        for href in HREF.findall(page):
            target = urljoin(path, html.unescape(href))
            parts = urlsplit(target)
            if parts.netloc or any(skip in target for skip in SKIP):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def _other_languages_in(language: str, pages: dict[str, str]) -> list[tuple[str, str, str]]:
    foreign = {code: telltale_phrases(code) for code in LANGUAGES if code != language}
    found = []
    for path, page in pages.items():
        if not page:
            continue
        assert f'<html lang="{language}"' in page, path
        text = _text(page)
        for code, phrases in foreign.items():
            found.extend((path, code, phrase) for phrase in phrases if phrase in text)
    return found


@pytest.fixture
def demo_logins(app, db, tmp_path):
    return seed_demo(app, db, tmp_path / "register")


@pytest.mark.timeout(360)  # every page as three members in four languages: 12 crawls
def test_crawl_in_each_language_finds_no_other_languages_text(app, db, demo_logins):
    for member in demo_logins.values():
        for language in LANGUAGES:
            client = app.test_client()
            login_as(client, member)
            assert client.post("/sprak", data={"sprak": language, "neste": "/"}).status_code == 302
            pages = crawl(client)
            assert len([p for p in pages.values() if p]) >= 25, sorted(pages)
            assert _other_languages_in(language, pages) == []


def test_anonymous_pages_follow_the_cookie(app, client):
    for language in LANGUAGES:
        client.post("/sprak", data={"sprak": language, "neste": "/logg-inn"})
        for path in ("/logg-inn", "/finnes-ikke"):
            page = client.get(path).get_data(as_text=True)
            assert _other_languages_in(language, {path: page}) == []
