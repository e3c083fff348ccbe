"""What the discussion templates use per post, made cheap: a thread page renders 50 posts,
each with a dozen links and labels, so these are computed once per request, not per post.

- `post_href(id, suffix)` / `thread_href(id)`: the post and thread addresses, built from
  the blueprint's own prefix (one `url_for` per request instead of ten per post);
- `labels`: the posts' button texts, translated once per request;
- `short_time`: a timestamp in Europe/Oslo, Norwegian short form ("27.11.2026, 09:26");
- `reaction_buttons(view)`: a post's five reaction buttons, the busiest markup of a post,
  formatted here rather than by a template loop (a fifth of a thread page's render time).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import DateTimePattern, parse_pattern
from flask import g, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from innsiden.discussions.models import REACTION_EMOJI
from innsiden.i18n import DATE_PATTERNS, current_language

if TYPE_CHECKING:
    from innsiden.discussions.reading import PostView

OSLO = ZoneInfo("Europe/Oslo")


@cache
def _stamp_format(language: str) -> tuple[DateTimePattern, Locale]:
    return parse_pattern(DATE_PATTERNS[language]["stamp"]), Locale.parse(language)


def short_time(moment: datetime) -> str:
    """What babel's format_datetime gives, with the pattern and locale parsed once per
    language instead of at each of the page's 20 to 50 times."""
    pattern, locale = _stamp_format(current_language())
    if moment.tzinfo is None:  # stored in UTC; SQLite gives it back without the zone
        moment = moment.replace(tzinfo=UTC)
    return pattern.apply(moment.astimezone(OSLO), locale)


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


def reaction_buttons(view: PostView) -> Markup:
    # Plain f-strings (Markup.format is ten times slower): kinds and emoji are the fixed
    # REACTION_EMOJI, counts are numbers, and the one translated text is escaped.
    names = labels()
    buttons = []
    for r in view.reaction_buttons:
        label = escape(names[r.kind])
        mine, count = (
            (" is-mine", "true") if r.mine else ("", "false"),
            f" {r.count}" if r.count else "",
        )
        buttons.append(
            f'<button type="submit" name="kind" value="{r.kind}" class="reaction{mine[0]}" '
            f'aria-pressed="{mine[1]}" title="{label}">\n<span aria-hidden="true">{r.emoji}'
            f'</span><span class="visually-hidden">{label}</span>{count}\n</button>'
        )
    return Markup("\n".join(buttons))  # noqa: S704 - built from escaped and fixed values


def template_helpers() -> dict[str, Callable[..., Any] | Any]:
    return {
        "post_href": post_href,
        "thread_href": thread_href,
        "short_time": short_time,
        "reaction_buttons": reaction_buttons,
        "labels": labels(),
        "reaction_kinds": list(REACTION_EMOJI.items()),
    }
