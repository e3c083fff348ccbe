"""How capabilities plug into notifications.

- `@notifies("post.created", …)`: a producer (session, event payload) → Drafts, one per
  member the event concerns (a mention, a reply to their thread, a poll they may vote in).
  Called by the job runner after the event's transaction committed, never in a request.
- `@subject_visibility("post")`: (session, member, subject id) → may this member still see
  the thing? Asked when a notification is shown or e-mailed, so a hidden post, a cancelled
  event or a lost membership withholds it. A subject kind without a check is never shown.
- `@subject_visibility_batch("post")`: optional, (session, member, idents) → the idents the
  member may still see, in a fixed number of queries. The bell and the list use it when a
  kind has one (else they ask `@subject_visibility` per item); it must agree with it.
- `@digest_source`: (session, member, group_ids, since) → DigestItems: new activity in those
  groups (already permission-checked groups) for the daily digest. An item names the
  subjects it covers, so the digest can leave out what the member was already e-mailed.
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
    # An announcement to a whole group (a poll opening): e-mailed in the daily digest unless
    # the member asked for announcements at once.
    announcement: bool = False


@dataclass(frozen=True)
class DigestItem:
    group_id: int
    group_name: str
    title: str
    url: str
    excerpt: str
    created_at: datetime
    # The notification subjects this item tells of ("post:42", "poll:7"): left out of a
    # member's digest when every one of them was already e-mailed to the member (or is in the
    # same digest as a notification), so nobody reads the same news twice.
    subjects: frozenset[str] = frozenset()


Producer = Callable[[Session, dict[str, Any]], Iterable[Draft]]
SubjectCheck = Callable[[Session, Member, str], bool]
BatchSubjectCheck = Callable[[Session, Member, Collection[str]], Collection[str]]
DigestSource = Callable[[Session, Member, Collection[int], datetime], list[DigestItem]]

_producers: dict[str, list[Producer]] = {}
_subject_checks: dict[str, SubjectCheck] = {}
_batch_checks: dict[str, BatchSubjectCheck] = {}
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


def subject_visibility_batch(kind: str) -> Callable[[BatchSubjectCheck], BatchSubjectCheck]:
    def register(check: BatchSubjectCheck) -> BatchSubjectCheck:
        _batch_checks[kind] = check
        return check

    return register


def digest_source(source: DigestSource) -> DigestSource:
    _digest_sources.append(source)
    return source


def producers_for(event_name: str) -> list[Producer]:
    return _producers.get(event_name, [])


def subject_check(kind: str) -> SubjectCheck | None:
    return _subject_checks.get(kind)


def batch_subject_check(kind: str) -> BatchSubjectCheck | None:
    return _batch_checks.get(kind)


def digest_sources() -> list[DigestSource]:
    return list(_digest_sources)
