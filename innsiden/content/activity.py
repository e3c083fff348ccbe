"""Pages and news on group pages: a "Nyheter" and "Sider" section on the group's front
page (news cascading from the fylkeslag and the organisation included)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from innsiden import access
from innsiden.content import service
from innsiden.content.permissions import Place
from innsiden.groups import activity
from membersync.models import Member

SECTION_NEWS = 3


@activity.front_page_section("content/_group_section.html")
def _section(session: Session, member: Member, group: Any) -> dict[str, Any] | None:
    place = Place(group)
    news = service.news(session, member, place, limit=SECTION_NEWS, published_only=True)
    pages = service.top_pages(session, member, place)
    may_create = access.can(session, member, "content.create", place)
    if not news and not pages and not may_create:
        return None
    return {"news": news, "pages": pages, "may_create": may_create}
