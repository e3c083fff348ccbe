"""News on the member's front page ("Nytt fra organisasjonen"): the newest published news of
the member's lokallag, their fylkeslag and the organisation, through the same read rule."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from innsiden.content import service
from innsiden.content.permissions import Place
from innsiden.content.text import item_url
from innsiden.groups.anchors import location_group_ids
from innsiden.groups.models import Group
from innsiden.home.news import SHOWN, NewsItem, news_source
from membersync.models import Member, OrgUnit


def _places(session: Session, member: Member) -> list[Place]:
    """The organisation, and the member's fylkeslag and lokallag groups where they have them."""
    units = []
    if member.lokallag_id:
        units.append(member.lokallag_id)
        lokallag = session.get(OrgUnit, member.lokallag_id)
        if lokallag is not None and lokallag.parent_id:
            units.append(lokallag.parent_id)
    groups = location_group_ids(session, units)
    places = [Place(session.get(Group, groups[unit])) for unit in units if unit in groups]
    return [*places, Place(None)]


@news_source
def member_news(session: Session, member: Member) -> list[NewsItem]:
    seen: dict[int, NewsItem] = {}
    for place in _places(session, member):
        source = place.group.name if place.group is not None else _("Sentralt")
        for item in service.news(session, member, place, limit=SHOWN, published_only=True):
            if item.id not in seen and item.published_at is not None:
                seen[item.id] = NewsItem(
                    title=item.title,
                    url=item_url(item.id),
                    published_at=item.published_at,
                    source=source,
                    summary=item.lead,
                )
    return list(seen.values())
