""" "Nytt fra sentralt og fylket": the slot the content capability fills.

The content capability registers one function with `@news_source`: (session, member) → the
newest news items for the member's lokallag, fylkeslag and the organisation, already checked
with `innsiden.access`. Until one is registered, the front page leaves the section out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from membersync.models import Member

SHOWN = 5


@dataclass(frozen=True)
class NewsItem:
    title: str
    url: str
    published_at: datetime
    source: str  # who it is from: "Vestland fylkeslag", "Sentralt", …
    summary: str = ""


NewsSource = Callable[[Session, Member], list[NewsItem]]
_sources: list[NewsSource] = []


def news_source(source: NewsSource) -> NewsSource:
    """Register where front-page news comes from (the content capability)."""
    _sources.append(source)
    return source


def news_for(session: Session, member: Member) -> list[NewsItem] | None:
    """The newest news for the member, or None when nothing provides news (no section)."""
    if not _sources:
        return None
    items = [item for source in _sources for item in source(session, member)]
    return sorted(items, key=lambda item: item.published_at, reverse=True)[:SHOWN]
