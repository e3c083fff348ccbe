"""What members write is stored as sanitised HTML and shown harmless everywhere."""

from html.parser import HTMLParser

import pytest

from tests.discussions.conftest import posts_of, reply, start_thread

HOSTILE = [
    "<script>alert('x')</script>",
    '<img src="x" onerror="alert(1)">',
    "[klikk](javascript:alert(1))",
    '<a href="javascript:alert(1)">lenke</a>',
    "<style>body{display:none}</style>",
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    "<iframe src='https://evil.example'></iframe>",
]
FORBIDDEN_TAGS = {"script", "style", "svg", "iframe", "img", "object", "embed"}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_harmless(html):
    """No active element, no event handler, no script URL: what a browser would run."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in FORBIDDEN_TAGS, html
        assert not any(name.startswith("on") for name in attrs), html
        assert "style" not in attrs, html
        href = (attrs.get("href") or "").replace(" ", "").lower()
        assert not href.startswith(("javascript:", "data:", "vbscript:")), html


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_markup_is_stored_and_shown_harmless(world, hostile):
    kari = world.client(world.leader)
    thread_id, _post_id = start_thread(kari, world.bergen, body=f"Før {hostile} etter")
    stored = posts_of(kari, thread_id)[0]["body_html"]
    assert_harmless(stored)
    assert "Før" in stored and "etter" in stored
    page = kari.get(f"/diskusjoner/traad/{thread_id}").get_data(as_text=True)
    body = page.split('<div class="post-body">', 1)[1].split("</div>", 1)[0]
    assert body == stored  # the page shows exactly what was stored, rendered once


def test_a_normal_post_keeps_its_formatting_and_links(world):
    kari = world.client(world.leader)
    text = (
        "**Fet** og *kursiv*\n\n- en\n- to\n\n"
        "[Program](https://example.no/program) og www.example.no"
    )
    thread_id, _ = start_thread(kari, world.bergen, body=text)
    html = posts_of(kari, thread_id)[0]["body_html"]
    assert "<strong>Fet</strong>" in html and "<em>kursiv</em>" in html
    assert "<li>en</li>" in html
    assert 'href="https://example.no/program"' in html
    assert 'rel="nofollow noopener"' in html
    assert 'href="http://www.example.no"' in html
    page = kari.get(f"/diskusjoner/traad/{thread_id}").get_data(as_text=True)
    assert "<strong>Fet</strong>" in page


def test_the_form_path_sanitises_the_same_way(world, db):
    anne = world.client(world.anne)
    response = anne.post(
        f"/diskusjoner/gruppe/{world.bergen}/ny",
        data={"title": "Test av skjema", "body": "Hei <script>alert(1)</script> **der**"},
    )
    assert response.status_code == 302
    page = anne.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>der</strong>" in page
    assert "<script>alert" not in page
    assert_harmless(page.split('<div class="post-body">', 1)[1].split("</div>", 1)[0])


def test_a_reply_and_an_edit_are_sanitised_too(world):
    kari, anne = world.client(world.leader), world.client(world.anne)
    thread_id, _ = start_thread(kari, world.bergen)
    post_id = reply(anne, thread_id, '<img src=x onerror="alert(1)">svar')
    assert_harmless(posts_of(anne, thread_id)[1]["body_html"])
    edited = anne.patch(
        f"/api/v1/discussions/posts/{post_id}", json={"body": "<style>*{}</style>**ny**"}
    )
    assert edited.status_code == 200
    assert_harmless(edited.get_json()["body_html"])
    assert "<strong>ny</strong>" in edited.get_json()["body_html"]
    assert edited.get_json()["body"] == "<style>*{}</style>**ny**"  # the source, for editing
