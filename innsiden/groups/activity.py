"""Hooks through which other capabilities add activity to group pages.

- Unread counts on "Mine grupper" and in the directory: a capability (discussions first)
  registers `@unread_counter` — a function (session, member, group_ids) → {group_id: count}
  that answers for all the groups in one or two queries (never one query per group).
  Counts from every counter are added up; with none registered every count is 0.
- The "Siste aktivitet" part of a group's front page: `@front_page_section(template)`
  registers a function (session, member, group) → dict (the template's context, or None
  to show nothing). The template is included in the group page in registration order,
  seeing that dict as `section` and the group as `group`; the page asks only for members
  who may read the group ("group.read"). With no sections the page says "Ingen aktivitet".
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from sqlalchemy.orm import Session

from membersync.models import Member

UnreadCounter = Callable[[Session, Member, Collection[int]], Mapping[int, int]]
SectionContext = Callable[[Session, Member, Any], dict[str, Any] | None]

_counters: list[UnreadCounter] = []
_sections: list[tuple[str, SectionContext]] = []


def unread_counter(counter: UnreadCounter) -> UnreadCounter:
    _counters.append(counter)
    return counter


def front_page_section(template: str) -> Callable[[SectionContext], SectionContext]:
    def register(context: SectionContext) -> SectionContext:
        _sections.append((template, context))
        return context

    return register


def unread_counts(session: Session, member: Member, group_ids: Collection[int]) -> dict[int, int]:
    totals = dict.fromkeys(group_ids, 0)
    for counter in _counters:
        for group_id, count in counter(session, member, group_ids).items():
            if group_id in totals:
                totals[group_id] += count
    return totals


def front_page_sections(
    session: Session, member: Member, group: Any
) -> list[tuple[str, dict[str, Any]]]:
    shown = []
    for template, context in _sections:
        values = context(session, member, group)
        if values is not None:
            shown.append((template, values))
    return shown
