"""An item's versions: the list, a line diff between any two (difflib), and restoring an
earlier one (itself a new version, so nothing is ever lost)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.content.editing import ItemText, save_item
from innsiden.content.models import ContentItem, ContentVersion
from innsiden.errors import NotFound
from membersync.models import Member


@dataclass(frozen=True)
class DiffLine:
    op: str  # " " same, "-" only in the older, "+" only in the newer
    text: str


def versions_of(session: Session, member: Member, item: ContentItem) -> list[ContentVersion]:
    access.require(session, member, "content.read", item)
    access.require(session, member, "content.edit", item, visible=True)
    return list(
        session.scalars(
            select(ContentVersion)
            .where(ContentVersion.item_id == item.id)
            .order_by(ContentVersion.number.desc())
        )
    )


def get_version(session: Session, item: ContentItem, number: int) -> ContentVersion:
    version = session.scalar(
        select(ContentVersion).where(
            ContentVersion.item_id == item.id, ContentVersion.number == number
        )
    )
    if version is None:
        raise NotFound()
    return version


def _lines(version: ContentVersion) -> list[str]:
    head = [f"# {version.title}"]
    lead = [version.lead, ""] if version.lead else []
    return [*head, "", *lead, *version.body_source.splitlines()]


def diff(older: ContentVersion, newer: ContentVersion) -> list[DiffLine]:
    """Line by line, title and lead included; unchanged stretches kept short (3 lines)."""
    lines = []
    for line in difflib.unified_diff(_lines(older), _lines(newer), lineterm="", n=3):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("@", "…"))
            continue
        lines.append(DiffLine(line[:1], line[1:]))
    return lines


def restore(
    session: Session, actor: Member, item: ContentItem, number: int, expected_version: int
) -> ContentVersion:
    """Make version `number`'s text current again, as a new version."""
    old = get_version(session, item, number)
    text = ItemText(
        title=old.title, body=old.body_source, lead=old.lead, cascade=item.cascade,
        publish_from=item.publish_from, expire_at=item.expire_at,
        inherit_roles=item.inherit_roles,
    )  # fmt: skip
    return save_item(
        session, actor, item, text, expected_version,
        note=_("Gjenopprettet fra versjon %(n)d", n=number),
    )  # fmt: skip
