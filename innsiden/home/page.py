"""What the front page shows, gathered once for the HTML page, its fragments and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from innsiden.errors import ValidationFailed
from innsiden.groups.models import Group
from innsiden.home import coming, feed, news, service, shortcuts, waiting
from membersync.models import Member


@dataclass(frozen=True)
class Filters:
    group_id: int | None = None
    kind: str = ""  # a key of feed.KIND_FILTERS, or "" for everything
    before: int | None = None

    @property
    def first_page(self) -> bool:
        return self.group_id is None and not self.kind and self.before is None

    def kinds(self) -> tuple[str, ...]:
        return feed.KIND_FILTERS.get(self.kind, ())

    def args(self) -> dict[str, Any]:
        """The filters as the page's query arguments (for links that keep them)."""
        found: dict[str, Any] = {}
        if self.group_id is not None:
            found["gruppe"] = self.group_id
        if self.kind:
            found["type"] = self.kind
        return found


def check_filters(group_id: int | None, kind: str, before: int | None) -> Filters:
    if kind and kind not in feed.KIND_FILTERS:
        raise ValidationFailed(fields={"type": _("Ukjent type aktivitet.")})
    return Filters(group_id, kind, before)


def stream(session: Session, member: Member, filters: Filters, seen: int | None) -> Any:
    """The member's groups (standings primed) and a page of their stream."""
    groups = feed.my_groups(session, member)
    feed.prime(session, member, groups)
    shown: list[Group] = groups
    if filters.group_id is not None:
        shown = [g for g in groups if g.id == filters.group_id]
    page = feed.stream_page(
        session, member, shown, before=filters.before, kinds=filters.kinds(), seen_entry_id=seen
    )
    return groups, page


def front_page(session: Session, member: Member, filters: Filters) -> dict[str, Any]:
    visit = service.last_visit(session, member)
    seen = visit.seen_entry_id if visit else None
    groups, page = stream(session, member, filters, seen)
    context: dict[str, Any] = {
        "groups": groups,
        "page": page,
        "filters": filters,
        "kind_filters": list(feed.KIND_FILTERS),
        "first_visit": visit is None,
    }
    if filters.before is None:
        context.update(
            upcoming=coming.upcoming(session, member, groups),
            waiting=waiting.waiting(session, member, groups, visit.seen_at if visit else None),
            news=news.news_for(session, member),
            leader_units=shortcuts.leader_units(session, member),
        )
    return context


def mark_seen(session: Session, member: Member, context: dict[str, Any]) -> None:
    """After the first page was shown: its entries are no longer new to the member."""
    found = context["page"]
    if context["filters"].first_page and found.newest_id:
        service.mark_seen(session, member, found.newest_id)
