"""What an entry says ("3 nye svar i «Budsjett 2027»"), the same in the page and the API."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from innsiden.home.feed import Item


def headline(item: Item) -> str:
    n, title = item.count, item.title
    if item.kind == "reply":
        return ngettext("Nytt svar i «%(title)s»", "%(num)d nye svar i «%(title)s»", n, title=title)
    if item.kind == "thread":
        return _("Ny tråd: «%(title)s»", title=title)
    if item.kind == "file":
        return ngettext(
            "Ny fil: «%(title)s»", "%(num)d nye filer, sist «%(title)s»", n, title=title
        )
    if item.kind == "file_version":
        return ngettext(
            "Ny versjon av «%(title)s»", "%(num)d nye versjoner av «%(title)s»", n, title=title
        )
    if item.kind == "gathering":
        return _("Nytt arrangement: «%(title)s»", title=title)
    if item.kind == "poll_opened":
        return _("Avstemning åpnet: «%(title)s»", title=title)
    if item.kind == "poll_closed":
        return _("Avstemning avsluttet: «%(title)s»", title=title)
    if item.kind == "joined":
        return ngettext("Et nytt medlem i gruppen", "%(num)d nye medlemmer i gruppen", n)
    return title


def by_line(item: Item) -> str:
    """Who: "Kari Nordmann", "Kari Nordmann og Per Dahl", "Kari Nordmann og 3 andre"."""
    names = item.actors
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return _("%(a)s og %(b)s", a=names[0], b=names[1])
    return ngettext("%(a)s og %(num)d annen", "%(a)s og %(num)d andre", len(names) - 1, a=names[0])


def as_json(item: Item) -> dict[str, Any]:
    return {
        "id": item.newest_id,
        "kind": item.kind,
        "count": item.count,
        "headline": headline(item),
        "title": item.title,
        "url": item.url,
        "group": {"id": item.group.id, "name": item.group.name},
        "actors": item.actors,
        "created_at": item.created_at.isoformat(),
        "unread": item.unread,
    }
