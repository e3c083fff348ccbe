"""Files on group pages and in the daily digest: the "Filer" section of a group's front page
and new files as digest items."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.files import listing
from innsiden.files.models import File
from innsiden.groups import activity
from innsiden.groups.models import Group
from innsiden.notifications.registry import DigestItem, digest_source
from membersync.models import Member

DIGEST_LIMIT = 50


@activity.front_page_section("files/_section.html")
def files_section(session: Session, member: Member, group: Any) -> dict[str, Any]:
    rows, total = listing.recent(session, group.id)
    return {
        "rows": rows,
        "total": total,
        "can_upload": access.can(session, member, "file.upload", group),
    }


@digest_source
def new_files(
    session: Session, member: Member, group_ids: Collection[int], since: datetime
) -> list[DigestItem]:
    if not group_ids:
        return []
    rows = session.execute(
        select(File, Group)
        .join(Group, Group.id == File.group_id)
        .where(
            File.group_id.in_(list(group_ids)),
            File.created_at > since,
            File.deleted_at.is_(None),
            File.purge_started_at.is_(None),
        )
        .order_by(File.created_at.desc())
        .limit(DIGEST_LIMIT)
    ).all()
    return [
        DigestItem(
            group_id=group.id,
            group_name=group.name,
            title=_("Ny fil: %(name)s", name=file.name),
            url=f"/filer/{file.id}",  # a path inside the portal (no request here)
            excerpt=file.description[:200],
            created_at=file.created_at,
        )
        for file, group in rows
    ]
