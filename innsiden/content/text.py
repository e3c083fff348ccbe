"""Item text: titles checked, Markdown bodies stored once as sanitised HTML, and internal
links by id (`[Vedtektene](side:42)`) turned into the item's permanent address, which
does not change when the page is moved or renamed."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from innsiden.errors import ValidationFailed
from innsiden.sanitize import render_markdown

MAX_TITLE = 200
MAX_LEAD = 1000
MAX_BODY = 200_000
_INTERNAL_LINK = re.compile(r"\]\(\s*side:(\d{1,18})\s*\)")


def item_url(item_id: int) -> str:
    """The permanent address of an item: by id, never by title or place in the tree."""
    return f"/innhold/{item_id}"


def render_body(source: str) -> str:
    linked = _INTERNAL_LINK.sub(lambda m: f"]({item_url(int(m.group(1)))})", source)
    return render_markdown(linked)


def internal_link_ids(source: str) -> list[int]:
    return [int(m.group(1)) for m in _INTERNAL_LINK.finditer(source)]


def check_text(title: str, lead: str, body: str) -> tuple[str, str, str]:
    """Cleaned title, lead and body source, or ValidationFailed naming the fields to fix."""
    title = " ".join(title.split())
    lead = lead.strip()
    errors = {}
    if not 1 <= len(title) <= MAX_TITLE:
        errors["title"] = _("Tittelen må ha mellom 1 og %(n)d tegn.", n=MAX_TITLE)
    if len(lead) > MAX_LEAD:
        errors["lead"] = _("Ingressen kan ha høyst %(n)d tegn.", n=MAX_LEAD)
    if len(body) > MAX_BODY:
        errors["body"] = _("Teksten er for lang.")
    if errors:
        raise ValidationFailed(fields=errors)
    return title, lead, body.replace("\r\n", "\n")
