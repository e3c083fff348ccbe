"""How capabilities plug into notifications.

- `@notifies("post.created", …)`: a producer (session, event payload) → Drafts, one per
  member the event concerns (a mention, a reply to their thread, a poll they may vote in).
  Called by the job runner after the event's transaction committed, never in a request.
- `@subject_visibility("post")`: (session, member, subject id) → may this member still see
  the thing? Asked when a notification is shown or e-mailed, so a hidden post, a cancelled
  event or a lost membership withholds it. A subject kind without a check is never shown.
- `@digest_source`: (session, member, group_ids, since) → DigestItems: new activity in those
  groups (already permission-checked groups) for the daily digest.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from membersync.models import Member


@dataclass(frozen=True)
class Draft:
    """A notification to create for one recipient."""

    recipient_number: int
    kind: str
    title: str
    url: str
    excerpt: str = ""
    group_id: int | None = None
    subject: str | None = None  # "post:42"
    actor_number: int | None = None


@dataclass(frozen=True)
class DigestItem:
    group_id: int
    group_name: str
    title: str
    url: str
    excerpt: str
    created_at: datetime


Producer = Callable[[Session, dict[str, Any]], Iterable[Draft]]
SubjectCheck = Callable[[Session, Member, str], bool]
DigestSource = Callable[[Session, Member, Collection[int], datetime], list[DigestItem]]

_producers: dict[str, list[Producer]] = {}
_subject_checks: dict[str, SubjectCheck] = {}
_digest_sources: list[DigestSource] = []


def notifies(*event_names: str) -> Callable[[Producer], Producer]:
    def register(producer: Producer) -> Producer:
        for name in event_names:
            _producers.setdefault(name, []).append(producer)
        return producer

    return register


def subject_visibility(kind: str) -> Callable[[SubjectCheck], SubjectCheck]:
    def register(check: SubjectCheck) -> SubjectCheck:
        _subject_checks[kind] = check
        return check

    return register


def digest_source(source: DigestSource) -> DigestSource:
    _digest_sources.append(source)
    return source


def producers_for(event_name: str) -> list[Producer]:
    return _producers.get(event_name, [])


def subject_check(kind: str) -> SubjectCheck | None:
    return _subject_checks.get(kind)


def digest_sources() -> list[DigestSource]:
    return list(_digest_sources)
