"""Member text comes out as safe HTML that keeps its formatting, links and mentions."""

import html
import re
from urllib.parse import unquote

import pytest

from innsiden.sanitize import (
    MentionLink,
    extract_mentions,
    plain_excerpt,
    plain_text,
    render_markdown,
    sanitize_html,
)

ATTACKS = {
    "script": '<script>alert("x")</script>',
    "img onerror": '<img src="x" onerror="alert(1)">',
    "javascript link": '<a href="javascript:alert(1)">klikk</a>',
    "uppercase javascript": '<a href="JAVASCRIPT:alert(1)">klikk</a>',
    "entity tab": '<a href="jav&#x09;ascript:alert(1)">klikk</a>',
    "entity javascript": '<a href="&#106;&#97;&#118;&#97;script:alert(1)">klikk</a>',
    "leading whitespace": '<a href="  \n javascript:alert(1)">klikk</a>',
    "percent tab": '<a href="jav%09ascript:alert(1)">klikk</a>',
    "vbscript": '<a href="vbscript:msgbox(1)">klikk</a>',
    "style element": "<style>body { display: none }</style><p>tekst</p>",
    "style attribute": '<p style="position:fixed;top:0">tekst</p>',
    "svg with script": (
        '<svg onload="alert(1)"><script>alert(1)</script><a href="javascript:x">s</a></svg>'
    ),
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "data url": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
    "form": (
        '<form action="https://evil.example/"><input name="passord"><button>Send</button></form>'
    ),
    "object": '<object data="x.swf"></object><embed src="x.swf">',
    "event handler": '<p onclick="alert(1)" onmouseover="alert(2)">x</p>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base": '<base href="https://evil.example/">',
    "math": (
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>"
        "</table></mtext></math>"
    ),
    "comment": "<!--><script>alert(1)</script>-->",
}
MARKDOWN_ATTACKS = {
    "markdown javascript link": "[klikk](javascript:alert(1))",
    "markdown obfuscated": "[klikk](jav&#x09;ascript:alert(1)) [x](JaVaScRiPt:alert(1))",
    "markdown data link": "[d](data:text/html;base64,PHNjcmlwdD4=)",
    "markdown image onerror": '![x" onerror="alert(1)](x.png)',
    "markdown data image": "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "autolink javascript": "<javascript:alert(1)>",
    **ATTACKS,  # raw HTML typed into Markdown
}

DANGEROUS_TAGS = {"script", "style", "img", "svg", "iframe", "form", "input", "object", "embed",
                  "meta", "base", "math", "button"}  # fmt: skip


def assert_harmless(output: str) -> None:
    tags = {t.lower() for t in re.findall(r"<\s*([a-zA-Z][\w-]*)", output)}
    assert not tags & DANGEROUS_TAGS, output
    attributes = re.findall(r"<[^>]*>", output)
    for tag in attributes:
        assert not re.search(r"\s(on\w+|style|src|srcdoc|action|formaction)\s*=", tag, re.I), tag
    for href in re.findall(r'href="([^"]*)"', output):
        bare = re.sub(r"[\x00-\x20]", "", unquote(html.unescape(href))).lower()
        assert not bare.startswith(("javascript:", "vbscript:", "data:")), href


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_rich_text_attacks_come_out_harmless(attack):
    assert_harmless(sanitize_html(attack))


@pytest.mark.parametrize("attack", MARKDOWN_ATTACKS.values(), ids=MARKDOWN_ATTACKS.keys())
def test_markdown_attacks_come_out_harmless(attack):
    assert_harmless(render_markdown(attack))


def test_raw_html_in_markdown_is_shown_as_text():
    out = render_markdown("Se her: <script>alert(1)</script>")
    assert out == "<p>Se her: &lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_markdown_keeps_its_formatting():
    text = (
        "# Årsmøte\n\n"
        "Vi møtes **tirsdag** kl. _19_ på ~~Huset~~ Rådhuset.\n"
        "Ny linje.\n\n"
        "- sakliste\n- budsjett\n\n"
        "3. tredje\n\n"
        "> sitat fra styret\n\n"
        "`kode` og\n\n```python\nprint('hei')\n```\n\n"
        "| Sak | Vedtak |\n|-----|--------|\n| 1 | Ja |\n\n"
        "---\n"
    )
    out = render_markdown(text)
    assert "<h2>Årsmøte</h2>" in out  # the page title is the only h1
    assert "<strong>tirsdag</strong>" in out
    assert "<em>19</em>" in out
    assert "<s>Huset</s>" in out
    assert "Rådhuset.<br>\nNy linje." in out
    assert "<ul>\n<li>sakliste</li>\n<li>budsjett</li>\n</ul>" in out
    assert '<ol start="3">' in out
    assert "<blockquote>\n<p>sitat fra styret</p>\n</blockquote>" in out
    assert "<code>kode</code>" in out
    assert "<pre><code class=\"language-python\">print('hei')\n</code></pre>" in out
    assert "<th>Sak</th>" in out and "<td>Ja</td>" in out
    assert "<hr>" in out


def test_headings_map_to_h2_to_h4():
    out = render_markdown("# a\n\n## b\n\n### c\n\n###### d")
    assert out == "<h2>a</h2>\n<h3>b</h3>\n<h4>c</h4>\n<h4>d</h4>"
    assert sanitize_html("<h1>a</h1><h5>b</h5>") == "<h2>a</h2><h4>b</h4>"


def test_links_get_nofollow_noopener_and_lose_target():
    out = render_markdown("[Partiet](https://partiet.no/politikk) og <https://nrk.no>")
    assert '<a href="https://partiet.no/politikk" rel="nofollow noopener">Partiet</a>' in out
    assert '<a href="https://nrk.no" rel="nofollow noopener">https://nrk.no</a>' in out
    out = sanitize_html('<a href="https://x.no" target="_blank" rel="opener">x</a>')
    assert out == '<a href="https://x.no" rel="nofollow noopener">x</a>'
    assert 'href="mailto:leder@lokallag.no"' in render_markdown("[e](mailto:leder@lokallag.no)")


def test_bare_addresses_become_links_but_not_file_names_or_code():
    out = render_markdown("Les www.nrk.no og https://vg.no/sak?id=1. Fila innsiden.py, bl.a.")
    assert '<a href="http://www.nrk.no" rel="nofollow noopener">www.nrk.no</a>' in out
    assert (
        '<a href="https://vg.no/sak?id=1" rel="nofollow noopener">https://vg.no/sak?id=1</a>.'
        in out
    )
    assert "innsiden.py" in out and "innsiden.py</a>" not in out
    assert "<a" not in render_markdown("`https://x.no`\n\n    https://y.no")


def test_images_in_member_text_become_links():
    out = render_markdown("![Kart over lokalet](https://kart.example/lokale.png)")
    assert out == (
        '<p><a href="https://kart.example/lokale.png" rel="nofollow noopener">'
        "Kart over lokalet</a></p>"
    )


def test_norwegian_text_is_intact():
    text = "Ærlig talt: «Østfold» og Åse går på møte – blåbærsyltetøy & kaffe."
    assert render_markdown(text) == f"<p>{html.escape(text, quote=False)}</p>"
    assert plain_text(render_markdown(text)) == text


SAMPLES = [
    *ATTACKS.values(),
    "# Tittel\n\n**fet** [lenke](https://x.no) www.nrk.no @[Kari](medlem:12)\n\n"
    "| a |\n|---|\n| b |",
    "<p>Hei &amp; hå &lt;b&gt; <a href='https://x.no' title='t'>x</a> www.vg.no</p>",
    "<h1>Stor</h1><pre><code class='language-js'>a &lt; b</code></pre>"
    "<ol start='2'><li>x</li></ol>",
]


@pytest.mark.parametrize("sample", SAMPLES)
def test_sanitising_is_idempotent(sample):
    once = sanitize_html(sample)
    assert sanitize_html(once) == once
    rendered = render_markdown(sample)
    assert sanitize_html(rendered) == rendered


def test_mentions_are_extracted_once_in_order_and_not_from_code():
    text = (
        "Hei @[Kari Nordmann](medlem:123) og @[Ola](medlem:45)!\n"
        "Igjen @[Kari](medlem:123). `@[Kode](medlem:9)`\n\n    @[Blokk](medlem:8)\n\n"
        "e-post: kari@example.no, @[uten nummer](medlem:x)"
    )
    assert extract_mentions(text) == ["123", "45"]


def test_mentions_render_with_the_portals_name_and_link():
    known = {"123": MentionLink("Kari Nordmann", "/medlemmer/123"), "7": MentionLink("Per")}
    out = render_markdown(
        "@[Statsministeren](medlem:123), @[Per](medlem:7) og @[Ukjent](medlem:999)",
        mentions=known.get,
    )
    assert out == (
        '<p><a class="mention" href="/medlemmer/123" rel="nofollow noopener">@Kari Nordmann</a>'
        ', <span class="mention">@Per</span> og @[Ukjent](medlem:999)</p>'
    )


def test_mentions_without_resolver_are_highlighted_as_typed_and_escaped():
    out = render_markdown("@[<b>Kari</b>](medlem:1)")
    assert out == '<p><span class="mention">@&lt;b&gt;Kari&lt;/b&gt;</span></p>'


def test_forged_classes_and_attributes_are_dropped():
    out = sanitize_html('<span class="x mention" id="a">s</span><p class="mention">p</p>')
    assert out == "<span>s</span><p>p</p>"


def test_plain_excerpt_for_mails_and_notifications():
    rendered = render_markdown("# Årsmøte\n\nVelkommen til **årsmøte** i lokallaget & festen.")
    assert plain_text(rendered) == "Årsmøte Velkommen til årsmøte i lokallaget & festen."
    assert plain_excerpt(rendered, 200) == "Årsmøte Velkommen til årsmøte i lokallaget & festen."
    assert plain_excerpt(rendered, 25) == "Årsmøte Velkommen til…"
    assert len(plain_excerpt(rendered, 25)) <= 25
    assert plain_excerpt("<p>Ordlangtordutenmellomrom</p>", 10) == "Ordlangto…"
