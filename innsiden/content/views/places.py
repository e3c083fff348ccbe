"""The place in a content URL: "organisasjonen" or a group id, checked for the member."""

from __future__ import annotations

from sqlalchemy.orm import Session

from innsiden.content import service
from innsiden.content.blueprint import ORGANISATION
from innsiden.content.permissions import Place
from innsiden.errors import NotFound
from membersync.models import Member


def place_from(session: Session, member: Member, place: str) -> Place:
    if place == ORGANISATION:
        return Place(None)
    if not place.isdigit() or len(place) > 18:
        raise NotFound()
    return service.place_for(session, member, int(place))


def place_key(place: Place) -> str:
    return ORGANISATION if place.group is None else str(place.group.id)
