"""What the discussion templates use per post, made cheap: a thread page renders 50 posts,
each with a dozen links and labels, so these are computed once per request, not per post.

- `post_href(id, suffix)` / `thread_href(id)`: the post and thread addresses, built from
  the blueprint's own prefix (one `url_for` per request instead of ten per post);
- `labels`: the posts' button texts, translated once per request;
- `short_time`: a timestamp in Europe/Oslo, Norwegian short form ("27.11.2026, 09:26").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import g, url_for
from flask_babel import gettext as _

from innsiden.discussions.models import REACTION_EMOJI

OSLO = ZoneInfo("Europe/Oslo")


def short_time(moment: datetime) -> str:
    return moment.astimezone(OSLO).strftime("%d.%m.%Y, %H:%M")


def _prefixes() -> tuple[str, str]:
    if "discussion_prefixes" not in g:
        post = url_for("discussions.post", post_id=1)[:-1]
        thread = url_for("discussions.thread", thread_id=1)[:-1]
        g.discussion_prefixes = (post, thread)
    return g.discussion_prefixes


def post_href(post_id: int, suffix: str = "") -> str:
    return f"{_prefixes()[0]}{post_id}{suffix}"


def thread_href(thread_id: int, query: str = "") -> str:
    return f"{_prefixes()[1]}{thread_id}{query}"


def labels() -> dict[str, str]:
    if "discussion_labels" not in g:
        g.discussion_labels = {
            "quote": _("Siter"), "edit": _("Rediger"), "delete": _("Slett"),
            "confirm_delete": _("Vil du slette innlegget?"), "report": _("Rapporter"),
            "report_question": _("Hva er galt med innlegget?"),
            "report_send": _("Send til moderatorene"), "hide": _("Skjul"),
            "hide_reason": _("Begrunnelse (vises for moderatorer)"),
            "hide_send": _("Skjul innlegget"), "edited": _("redigert"),
            "deleted": _("Slettet innlegg"), "hidden": _("Skjult av moderator"),
            "hidden_note": _("bare moderatorer ser dette innlegget."),
            "reason": _("Begrunnelse:"), "documents": _("Vedlegg"),
            "quote_gone": _("Det siterte innlegget er ikke lenger tilgjengelig."),
            "tommel": _("Tommel opp"), "hjerte": _("Hjerte"), "smil": _("Smil"),
            "feiring": _("Feiring"), "tenker": _("Tenker"),
        }  # fmt: skip
    return g.discussion_labels


def template_helpers() -> dict[str, Callable[..., Any] | Any]:
    return {
        "post_href": post_href,
        "thread_href": thread_href,
        "short_time": short_time,
        "labels": labels(),
        "reaction_kinds": list(REACTION_EMOJI.items()),
    }
