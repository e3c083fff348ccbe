"""Writing items: create, save (a new version each time, refused when someone else saved
first), move in the tree, and the news item's lead picture."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from innsiden import access, events
from innsiden.content import schedule
from innsiden.content.models import KINDS, ContentItem, ContentVersion
from innsiden.content.permissions import Place
from innsiden.content.text import check_text, render_body
from innsiden.errors import Conflict, NotFound, ValidationFailed
from innsiden.images import process_image
from innsiden.storage import get_storage
from membersync.db import utcnow
from membersync.models import Member


@dataclass(frozen=True)
class ItemText:
    """What an editor writes: the words, and for news the cascade and the schedule."""

    title: str
    body: str = ""
    lead: str = ""
    cascade: bool = False
    publish_from: datetime | None = None
    expire_at: datetime | None = None
    inherit_roles: bool = True


class EditConflict(Conflict):
    """Someone saved the item after this editor opened it: nothing was overwritten."""

    def default_message(self) -> str:
        return _(
            "Noen andre har lagret en nyere versjon mens du skrev. Teksten din er ikke lagret, "
            "men står fortsatt i skjemaet: se på den nye versjonen og lagre på nytt."
        )


def create_item(
    session: Session,
    actor: Member,
    place: Place,
    kind: str,
    text: ItemText,
    *,
    parent_id: int | None = None,
) -> ContentItem:
    access.require(session, actor, "content.create", place, visible=True)
    if kind not in KINDS:
        raise ValidationFailed(fields={"kind": _("Velg side eller nyhet.")})
    title, lead, body = check_text(text.title, text.lead, text.body)
    parent = _check_parent(session, place, kind, parent_id)
    item = ContentItem(
        kind=kind,
        group_id=place.group_id,
        parent_id=parent.id if parent else None,
        position=_next_position(session, place.group_id, parent_id) if kind == "page" else 0,
        title=title,
        lead=lead if kind == "news" else "",
        body_source=body,
        body_html=render_body(body),
        state="utkast",
        live=False,
        created_by=actor.number,
        version=1,
    )
    _apply_settings(item, text, kind, place)
    session.add(item)
    session.flush()
    _new_version(session, item, actor, _("Opprettet"))
    events.record(session, "content.created", item_id=item.id, by=actor.number)
    return item


def _apply_settings(item: ContentItem, text: ItemText, kind: str, place: Place) -> None:
    cascades = kind == "news" and (place.group is None or place.group.kind == "fylkeslag")
    item.cascade = text.cascade and cascades
    item.inherit_roles = text.inherit_roles
    if text.publish_from and text.expire_at and text.expire_at <= text.publish_from:
        raise ValidationFailed(fields={"expire_at": _("Utløpet må komme etter publiseringen.")})
    item.publish_from, item.expire_at = text.publish_from, text.expire_at


def _check_parent(
    session: Session, place: Place, kind: str, parent_id: int | None
) -> ContentItem | None:
    if parent_id is None:
        return None
    parent = session.get(ContentItem, parent_id)
    if parent is None or parent.kind != "page" or kind != "page":
        raise ValidationFailed(fields={"parent": _("Velg en side i samme gruppe.")})
    if parent.group_id != place.group_id:
        raise ValidationFailed(fields={"parent": _("Velg en side i samme gruppe.")})
    return parent


def _next_position(session: Session, group_id: int | None, parent_id: int | None) -> int:
    where_place = (
        ContentItem.group_id.is_(None) if group_id is None else ContentItem.group_id == group_id
    )
    where_parent = (
        ContentItem.parent_id.is_(None) if parent_id is None else ContentItem.parent_id == parent_id
    )
    last = session.scalar(select(func.max(ContentItem.position)).where(where_place, where_parent))
    return (last or 0) + 1


def save_item(
    session: Session, actor: Member, item: ContentItem, text: ItemText, expected_version: int,
    *, note: str = "",
) -> ContentVersion:  # fmt: skip
    """Save a change as a new version, only if nobody saved since `expected_version`."""
    access.require(session, actor, "content.read", item)
    access.require(session, actor, "content.edit", item, visible=True)
    title, lead, body = check_text(text.title, text.lead, text.body)
    _claim_version(session, item, expected_version)
    item.title, item.body_source, item.body_html = title, body, render_body(body)
    item.lead = lead if item.kind == "news" else ""
    place = _place(session, item)
    _apply_settings(item, text, item.kind, place)
    item.updated_at = utcnow()
    schedule.refresh_live(session, item)
    version = _new_version(session, item, actor, note)
    events.record(session, "content.edited", item_id=item.id, kind=item.kind, by=actor.number)
    return version


def _place(session: Session, item: ContentItem) -> Place:
    from innsiden.content.service import place_of_item

    return place_of_item(session, item)


def _claim_version(session: Session, item: ContentItem, expected: int) -> None:
    """Move the item's version on by one, atomically, or refuse: a second editor's save
    that started from the same version finds it moved and is told so."""
    claimed = session.execute(
        update(ContentItem)
        .where(ContentItem.id == item.id, ContentItem.version == expected)
        .values(version=expected + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise EditConflict()
    item.version = expected + 1


def _new_version(session: Session, item: ContentItem, actor: Member, note: str) -> ContentVersion:
    version = ContentVersion(
        item_id=item.id,
        number=item.version,
        title=item.title,
        lead=item.lead,
        body_source=item.body_source,
        note=note[:300],
        saved_by=actor.number,
    )
    session.add(version)
    session.flush()
    return version


def move_item(
    session: Session, actor: Member, item: ContentItem, *, parent_id: int | None, position: int
) -> None:
    """Put a page under another page of the same place (or at the top), at `position`."""
    access.require(session, actor, "content.read", item)
    access.require(session, actor, "content.edit", item, visible=True)
    if item.kind != "page":
        raise ValidationFailed(_("Bare sider kan flyttes."))
    if parent_id is not None:
        parent = session.get(ContentItem, parent_id)
        if parent is None or parent.group_id != item.group_id or parent.kind != "page":
            raise ValidationFailed(fields={"parent": _("Velg en side i samme gruppe.")})
        if _is_below(session, parent, item.id):
            raise ValidationFailed(fields={"parent": _("En side kan ikke flyttes under seg selv.")})
    item.parent_id, item.position = parent_id, position
    item.updated_at = utcnow()
    events.record(session, "content.moved", item_id=item.id, kind=item.kind, by=actor.number)
    session.flush()


def _is_below(session: Session, page: ContentItem, ancestor_id: int) -> bool:
    from innsiden.content.service import ancestors

    return page.id == ancestor_id or any(p.id == ancestor_id for p in ancestors(session, page))


def set_lead_image(
    session: Session, actor: Member, item: ContentItem, stream: BinaryIO | None
) -> None:
    """Store a news item's lead picture (re-encoded, metadata gone), or remove it (None)."""
    access.require(session, actor, "content.read", item)
    access.require(session, actor, "content.edit", item, visible=True)
    if item.kind != "news":
        raise NotFound()
    if stream is None:
        item.lead_image_key = None
    else:
        picture = process_image(stream, thumb_sizes=()).image
        stored = get_storage().save(io.BytesIO(picture.data), content_type=picture.mime_type)
        item.lead_image_key = stored.key
    item.updated_at = utcnow()
    session.flush()
