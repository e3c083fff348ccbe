"""Member text to safe HTML: Markdown rendering, the bleach allowlist, excerpts and @mentions.

The only module that imports bleach. Callers render a member's text once, when it is
written, and store the result: every page, e-mail and API answer shows that stored HTML.

Markdown is CommonMark with tables and ~~strikethrough~~; raw HTML typed into Markdown is
shown as text, never interpreted. A single newline is a line break, as members expect.
Bare `https://…` and `www.…` addresses become links. Headings are shifted one level down
(`#` gives `<h2>`, deeper than `<h4>` stays `<h4>`) because the page title is the `<h1>`.

Images are not allowed in member text: `![alt](url)` becomes a plain link to the url, so a
post can never load a third-party image (a tracking pixel) into a member's browser. Images
attached to a post are stored, re-encoded and shown by the portal itself, beside the text.

Mentions: the autocomplete inserts `@[Kari Nordmann](medlem:12345)`, where 12345 is the
member number (medlemsnummer). `extract_mentions()` finds the numbers (outside code), and
`render_markdown(..., mentions=...)` renders each as `<a class="mention" href=…>@Name</a>`
(or `<span class="mention">@Name</span>` without a link) with the name the portal knows,
never the name typed in the brackets. A mention the caller does not resolve is shown as
plain text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

import bleach
from bleach.html5lib_shim import Filter
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

MENTION_RE = re.compile(r"@\[(?P<name>[^\[\]\n]{1,100})\]\(medlem:(?P<number>\d{1,20})\)")

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "em", "strong", "b", "i", "u", "s", "del", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "span",
        "table", "thead", "tbody", "tr", "th", "td",
        # h1, h5 and h6 are allowed in only to be mapped to h2–h4 by _HeadingFilter.
        "h1", "h2", "h3", "h4", "h5", "h6",
    }
)  # fmt: skip
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"
_HEADING_MAP = {"h1": "h2", "h5": "h4", "h6": "h4"}
_CODE_CLASS_RE = re.compile(r"^language-[\w+#.-]{1,30}$")
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):")
# Only addresses that plainly are addresses become links: "innsiden.py" or "bl.a." stay text.
_AUTOLINK_RE = re.compile(
    r"""\(*\b(?<![@.])(?:https?://|www\.)(?:[\w-]+\.)+[\w-]{2,}(?::[0-9]+)?(?!\.\w)\b
        (?:[/?#][^\s{}|\\^`<>"]*)?""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class MentionLink:
    """How one mentioned member is shown: the name the portal knows, and a link if any."""

    name: str
    url: str | None = None


MentionResolver = Callable[[str], MentionLink | None]


def _safe_href(value: str) -> bool:
    """True for relative links and http/https/mailto, however the scheme is disguised."""
    # Browsers drop whitespace and control characters inside a scheme ("jav\tascript:");
    # decoding percent-escapes first also catches "jav%09ascript:".
    bare = re.sub(r"[\x00-\x20\x7f]+", "", unquote(html.unescape(value))).lower()
    scheme = _SCHEME_RE.match(bare)
    return scheme is None or scheme.group(1) in ALLOWED_SCHEMES


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return (
            (name == "href" and _safe_href(value))
            or name == "title"
            or (name == "class" and value == "mention")
        )
    if tag == "span":
        return name == "class" and value == "mention"
    if tag == "code":
        return name == "class" and bool(_CODE_CLASS_RE.match(value))
    if tag == "ol":
        return name == "start" and value.isdigit()
    return False


class _HeadingFilter(Filter):
    """Maps h1 to h2 and h5/h6 to h4: the page title is the only h1."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for token in super().__iter__():
            if token["type"] in {"StartTag", "EndTag"} and token["name"] in _HEADING_MAP:
                token = {**token, "name": _HEADING_MAP[token["name"]]}
            yield token


def _link_attributes(attrs: dict[Any, str], new: bool = False) -> dict[Any, str] | None:
    """Every link gets rel="nofollow noopener" and no target; a link left without href goes."""
    if (None, "href") not in attrs:
        return None  # bleach keeps the link's text
    attrs[(None, "rel")] = LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_SCHEMES,
    strip=True,
    strip_comments=True,
    filters=[
        _HeadingFilter,
        partial(
            LinkifyFilter,
            callbacks=[_link_attributes],
            skip_tags={"pre", "code"},
            url_re=_AUTOLINK_RE,
        ),
    ],
)


def sanitize_html(html_text: str) -> str:
    """Clean HTML (from a rich-text editor, or rendered Markdown) against the allowlist.

    Disallowed tags are removed and their text kept (as text); disallowed attributes and
    links are dropped. Idempotent: cleaning the output again changes nothing.
    """
    return _cleaner.clean(html_text)


def _mention_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "@":
        return False
    match = MENTION_RE.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("mention", "", 0)
        token.meta = {"number": match["number"], "name": match["name"]}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _render_mention(
    _renderer: RendererHTML, tokens: list[Token], idx: int, _options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    resolve: MentionResolver | None = env.get("mentions")
    if resolve is None:
        return f'<span class="mention">@{html.escape(token.meta["name"])}</span>'
    link = resolve(token.meta["number"])
    if link is None:
        return html.escape(token.content)
    name = html.escape(link.name)
    if link.url is None:
        return f'<span class="mention">@{name}</span>'
    return f'<a class="mention" href="{html.escape(link.url)}">@{name}</a>'


def _render_image_as_link(
    renderer: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = renderer.renderInlineAsText(token.children or [], options, env) or src
    return f'<a href="{html.escape(src)}">{html.escape(alt)}</a>'


def _shift_headings(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{min(int(token.tag[1]) + 1, 4)}"


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "breaks": True})
    md.enable(["table", "strikethrough"])
    md.add_render_rule("image", _render_image_as_link)  # see the module docstring
    md.inline.ruler.before("link", "mention", _mention_rule)
    md.add_render_rule("mention", _render_mention)
    md.core.ruler.push("shift_headings", _shift_headings)
    return md


_md = _markdown()


def render_markdown(text: str, *, mentions: MentionResolver | None = None) -> str:
    """Markdown to sanitised HTML, ready to store and show as it is.

    `mentions` maps a member number to how that member is shown (`MentionLink`), or None
    for a number that must not be shown as a mention (unknown, or outside the group).
    Without it, mentions are highlighted with the typed name and no link.
    """
    return sanitize_html(_md.render(text, {"mentions": mentions}).rstrip("\n"))


def extract_mentions(text: str) -> list[str]:
    """Member numbers mentioned in Markdown `text`, once each, in order; code is skipped."""
    found: dict[str, None] = {}
    for block in _md.parse(text):
        for token in block.children or ():
            if token.type == "mention":
                found.setdefault(token.meta["number"], None)
    return list(found)


class _TextCollector(HTMLParser):
    _BLOCKS = frozenset(
        {"p", "br", "hr", "li", "ul", "ol", "blockquote", "pre", "tr", "td", "th", "table"}
        | {f"h{n}" for n in range(1, 7)}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html_text: str) -> str:
    """The text of sanitised HTML on one line, entities decoded (escape it before HTML use)."""
    collector = _TextCollector()
    collector.feed(html_text)
    collector.close()
    return " ".join("".join(collector.parts).split())


def plain_excerpt(html_text: str, length: int) -> str:
    """At most `length` characters of the text, cut at a word and ended with "…" if cut."""
    text = plain_text(html_text)
    if len(text) <= length:
        return text
    cut = text[: max(length - 1, 0)]
    if " " in cut and not text[len(cut)].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:–-") + "…"
